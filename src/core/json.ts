// Values parsed from JSON (a server's body, a file on disk) told apart before they are trusted.
// Import-free: the completion path and the light config modules use it.

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

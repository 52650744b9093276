// Masks secrets in any text bound for a terminal, a log or an error message. No imports: error
// rendering on the start-up path may load this.

const MASK = '***';
const MIN_SECRET_LENGTH = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization: Bearer <token>
  [/(Authorization["']?\s*[:=]\s*["']?Bearer\s+)[^\s"',]+/gi, `$1${MASK}`],
  // A bare "Bearer <token>" with something token-sized after it (prose like "bearer token" stays).
  [/\b(Bearer\s+)[A-Za-z0-9\-._~+/=]{16,}/gi, `$1${MASK}`],
  // Query parameters: ?access_token=...&code=...
  [/([?&;](?:access_token|refresh_token|client_secret|code|password)=)[^&#\s"']*/gi, `$1${MASK}`],
  // JSON fields: "access_token": "..."
  [
    /("(?:access_token|refresh_token|client_secret|password|auth_code)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${MASK}"`,
  ],
  // Cookies: csrftoken=...; session=...
  [/\b((?:csrftoken|session)=)[^;,\s"']*/gi, `$1${MASK}`],
  // The CSRF header of the login flow.
  [/(X-CSRF-TOKEN\s*:\s*)\S+/gi, `$1${MASK}`],
];

/**
 * Replace every given secret value (at least 6 characters, so that short common strings are left
 * alone) and every token-looking pattern with `***`.
 */
export function redact(text: string, secrets?: Iterable<string | undefined>): string {
  let out = text;
  if (secrets) {
    const values = [
      ...new Set([...secrets].filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH)),
    ];
    // Longest first, so that a secret containing another one is masked whole.
    values.sort((a, b) => b.length - a.length);
    for (const value of values) {
      out = out.replace(new RegExp(escapeRegExp(value), 'g'), MASK);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) out = out.replace(new RegExp(escapeRegExp(encoded), 'g'), MASK);
    }
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

// Service names: validated against the services config list, matched case- and -/_-insensitively,
// sent exactly as the API spells them.
import { UsageError } from '../errors.js';
import { nearest } from './suggest.js';

/** GreenLake services in the list that are not Central licenses: never suggested, never completed. */
const NON_CENTRAL = /storage|k8s|zerto|alletra|proliant|_vm_|vm_|hciaas|baas|compute|ezmeral/;

export function isCentralService(name: string): boolean {
  return !NON_CENTRAL.test(name.toLowerCase());
}

export function normalizeServiceName(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, '_');
}

/**
 * Maps what the user typed onto the API's spelling. Every unknown name is reported at once, each
 * with its nearest valid names.
 */
export function matchServices(requested: string[], known: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const name of known) byKey.set(normalizeServiceName(name), name);
  const result: string[] = [];
  const unknown: string[] = [];
  for (const raw of requested) {
    const input = raw.trim();
    if (!input) continue;
    const match = byKey.get(normalizeServiceName(input));
    if (match === undefined) unknown.push(input);
    else if (!result.includes(match)) result.push(match);
  }
  if (unknown.length) {
    const central = known.filter(isCentralService);
    const lines = unknown.map((name) => {
      const close = nearest(name, central, 3, normalizeServiceName);
      return close.length ? `'${name}' (did you mean ${close.join(', ')}?)` : `'${name}'`;
    });
    throw new UsageError(`Unknown service${unknown.length > 1 ? 's' : ''}: ${lines.join('; ')}.`, {
      code: 'unknown_service',
      hint: "'msp-license services' lists the valid names ('--refresh' fetches the list again).",
    });
  }
  if (!result.length) {
    throw new UsageError('No service given.', { hint: 'Name at least one: --services foundation_ap' });
  }
  return result;
}

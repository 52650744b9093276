// Customer references: ids or exact names (case-insensitive), resolved against the customers list.
import { UsageError } from '../errors.js';
import { nearest } from './suggest.js';

export interface CustomerRef {
  id: string;
  name: string;
}

const fold = (s: string) => s.trim().toLowerCase();

/** Unknown references that get "nearest" suggestions (each one costs a pass over every customer). */
const MAX_SUGGESTED = 5;
/** Problems named in the error; the rest are counted. */
const MAX_LISTED = 10;
/** Longer references are shown cut, and get no suggestion (edit distance grows with the length). */
const MAX_SHOWN = 80;
const MAX_SUGGESTIBLE = 200;

const shown = (reference: string) =>
  reference.length > MAX_SHOWN ? `${reference.slice(0, MAX_SHOWN - 1)}…` : reference;

/** Lines of a list file: one reference per line, `#` starts a comment, blank lines ignored. */
export function parseList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

/**
 * Resolves every reference, or throws one UsageError naming all unknown and ambiguous ones with
 * the nearest matches. Duplicates (the same customer named twice, by id or name) collapse.
 */
export function resolveCustomers(references: string[], customers: CustomerRef[]): CustomerRef[] {
  const byId = new Map<string, CustomerRef>();
  const byName = new Map<string, CustomerRef[]>();
  for (const customer of customers) {
    byId.set(fold(customer.id), customer);
    const key = fold(customer.name);
    const list = byName.get(key);
    if (list) list.push(customer);
    else byName.set(key, [customer]);
  }
  const resolved = new Map<string, CustomerRef>();
  const problems: string[] = [];
  let unlisted = 0;
  let suggested = 0;
  for (const reference of references) {
    const key = fold(reference);
    if (!key) continue;
    const viaId = byId.get(key);
    if (viaId) {
      resolved.set(viaId.id, viaId);
      continue;
    }
    const viaName = byName.get(key);
    if (viaName && viaName.length === 1) {
      resolved.set(viaName[0]!.id, viaName[0]!);
      continue;
    }
    // A huge list of unknown names must not turn into minutes of suggestions and a huge message.
    if (problems.length >= MAX_LISTED) {
      unlisted += 1;
      continue;
    }
    if (viaName && viaName.length > 1) {
      problems.push(
        `'${reference}' names ${viaName.length} customers (${viaName.map((c) => c.id).join(', ')}): use an id`,
      );
      continue;
    }
    const suggest = suggested < MAX_SUGGESTED && reference.length <= MAX_SUGGESTIBLE;
    if (suggest) suggested += 1;
    const close = suggest
      ? nearest(
          reference,
          customers.map((c) => c.name),
          3,
          fold,
        )
      : [];
    const closeIds = suggest
      ? nearest(
          reference,
          customers.map((c) => c.id),
          2,
          fold,
        )
      : [];
    const hints = [...close.map((n) => `"${n}"`), ...closeIds];
    problems.push(
      hints.length
        ? `'${shown(reference)}' is not a customer id or name (nearest: ${hints.join(', ')})`
        : `'${shown(reference)}' is not a customer id or name`,
    );
  }
  if (problems.length) {
    const more = unlisted > 0 ? `; and ${unlisted} more` : '';
    throw new UsageError(
      `Unknown or ambiguous customer${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}${more}.`,
      {
        code: 'unknown_customer',
        hint: "'msp-license customers --search TEXT' finds ids and names ('--refresh' if the customer is new).",
      },
    );
  }
  return [...resolved.values()];
}

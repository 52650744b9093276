// Customer references: ids or exact names (case-insensitive), resolved against the customers list.
import { UsageError } from '../errors.js';
import { nearest } from './suggest.js';

export interface CustomerRef {
  id: string;
  name: string;
}

/**
 * How names and ids are compared: Unicode-normalised (a name pasted in decomposed form, NFD,
 * matches its composed twin), trimmed, case-insensitive.
 */
export const fold = (s: string) => s.normalize('NFC').trim().toLowerCase();

/** Unknown references that get "nearest" suggestions (each one costs a pass over every customer). */
const MAX_SUGGESTED = 5;
/** Problems named in the error; the rest are counted. */
const MAX_LISTED = 10;
/** Longer references are shown cut, and get no suggestion (edit distance grows with the length). */
const MAX_SHOWN = 80;
const MAX_SUGGESTIBLE = 200;

const shown = (reference: string) =>
  reference.length > MAX_SHOWN ? `${reference.slice(0, MAX_SHOWN - 1)}…` : reference;

/**
 * The references of a list file: one per line, `#` at a line's start or after a space starts a
 * comment, blank lines ignored. And the lines a comment was cut from after some text, as written
 * (trimmed): `Acme #2` is read as `Acme`, and a customer may be named `Acme #2` (resolveScope
 * refuses to take it for another customer).
 */
export function readList(text: string): { references: string[]; commented: string[] } {
  const references: string[] = [];
  const commented: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    references.push(line);
    if (line !== raw.trim()) commented.push(raw.trim());
  }
  return { references, commented };
}

/**
 * Resolves every reference (an id or an exact name; a flag value that is neither is taken as a
 * comma list of them, so a name holding a comma can be named as it is), or throws one UsageError naming all unknown and ambiguous ones with
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
  const exact = (key: string): CustomerRef[] | undefined => {
    const viaId = byId.get(key);
    return viaId ? [viaId] : byName.get(key);
  };
  const problem = (reference: string, matches: CustomerRef[] | undefined): string => {
    if (matches && matches.length > 1) {
      return `'${shown(reference)}' names ${matches.length} customers (${matches.map((c) => c.id).join(', ')}): use an id`;
    }
    // A huge list of unknown names must not turn into minutes of suggestions and a huge message.
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
    return hints.length
      ? `'${shown(reference)}' is not a customer id or name (nearest: ${hints.join(', ')})`
      : `'${shown(reference)}' is not a customer id or name`;
  };
  const report = (text: () => string) => {
    if (problems.length >= MAX_LISTED) unlisted += 1;
    else problems.push(text());
  };
  for (const reference of references) {
    // A whole value that is an exact id or name wins ("Comma, Inc."); else it is a comma list.
    const whole = exact(fold(reference));
    if (whole?.length === 1) {
      resolved.set(whole[0]!.id, whole[0]!);
      continue;
    }
    if (whole && whole.length > 1) {
      report(() => problem(reference.trim(), whole));
      continue;
    }
    const parts = reference.includes(',')
      ? reference
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : [reference.trim()].filter(Boolean);
    const unresolved: Array<{ part: string; matches: CustomerRef[] | undefined }> = [];
    let anyResolved = false;
    for (const part of parts) {
      const matches = exact(fold(part));
      if (matches?.length === 1) {
        resolved.set(matches[0]!.id, matches[0]!);
        anyResolved = true;
      } else unresolved.push({ part, matches });
    }
    // No part is a customer either: report the value as typed, not its pieces.
    if (!anyResolved && parts.length > 1) report(() => problem(reference.trim(), whole));
    else for (const u of unresolved) report(() => problem(u.part, u.matches));
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

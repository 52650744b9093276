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

/** Lines of a list file: one reference per line, `#` starts a comment, blank lines ignored. */
export function parseList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
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
  const exact = (key: string): CustomerRef[] | undefined => {
    const viaId = byId.get(key);
    return viaId ? [viaId] : byName.get(key);
  };
  const problem = (reference: string, matches: CustomerRef[] | undefined): string => {
    if (matches && matches.length > 1) {
      return `'${reference}' names ${matches.length} customers (${matches.map((c) => c.id).join(', ')}): use an id`;
    }
    const close = nearest(
      reference,
      customers.map((c) => c.name),
      3,
      fold,
    );
    const closeIds = nearest(
      reference,
      customers.map((c) => c.id),
      2,
      fold,
    );
    const hints = [...close.map((n) => `"${n}"`), ...closeIds];
    return hints.length
      ? `'${reference}' is not a customer id or name (nearest: ${hints.join(', ')})`
      : `'${reference}' is not a customer id or name`;
  };
  for (const reference of references) {
    // A whole value that is an exact id or name wins ("Comma, Inc."); else it is a comma list.
    const whole = exact(fold(reference));
    if (whole?.length === 1) {
      resolved.set(whole[0]!.id, whole[0]!);
      continue;
    }
    if (whole && whole.length > 1) {
      problems.push(problem(reference.trim(), whole));
      continue;
    }
    const parts = reference.includes(',')
      ? reference
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : [reference.trim()].filter(Boolean);
    const partProblems: string[] = [];
    let anyResolved = false;
    for (const part of parts) {
      const matches = exact(fold(part));
      if (matches?.length === 1) {
        resolved.set(matches[0]!.id, matches[0]!);
        anyResolved = true;
      } else partProblems.push(problem(part, matches));
    }
    // No part is a customer either: report the value as typed, not its pieces.
    if (!anyResolved && parts.length > 1) problems.push(problem(reference.trim(), whole));
    else problems.push(...partProblems);
  }
  if (problems.length) {
    throw new UsageError(
      `Unknown or ambiguous customer${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}.`,
      {
        code: 'unknown_customer',
        hint: "'msp-license customers --search TEXT' finds ids and names ('--refresh' if the customer is new).",
      },
    );
  }
  return [...resolved.values()];
}

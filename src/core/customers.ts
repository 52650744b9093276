// Customer references: ids or exact names (case-insensitive), resolved against the customers list.
import { UsageError } from '../errors.js';
import { nearest } from './suggest.js';

export interface CustomerRef {
  id: string;
  name: string;
}

const fold = (s: string) => s.trim().toLowerCase();

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
    if (viaName && viaName.length > 1) {
      problems.push(
        `'${reference}' names ${viaName.length} customers (${viaName.map((c) => c.id).join(', ')}): use an id`,
      );
      continue;
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
    problems.push(
      hints.length
        ? `'${reference}' is not a customer id or name (nearest: ${hints.join(', ')})`
        : `'${reference}' is not a customer id or name`,
    );
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

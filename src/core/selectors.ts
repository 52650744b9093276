// Customer selectors: besides ids and exact names, `group:NAME` (the customer's group in Central's
// customers list, `group.name`) and `name:GLOB` (a glob on names, `*` and `?`). Pure: resolved
// against a customers list given by the caller. A selector that matches nobody is an error, as an
// unknown name is.
import { UsageError } from '../errors.js';
import { type CustomerRef, fold, resolveCustomers } from './customers.js';
import { nearest } from './suggest.js';

export interface SelectableCustomer extends CustomerRef {
  /** The customer's group name in Central's customers list (`group.name`), when it has one. */
  group?: string;
}

/** What one selector matched (ids and names are kept by the caller that needs them). */
export interface SelectorMatch {
  selector: string;
  matched: number;
}

const SELECTOR = /^\s*(group|name):(.*)$/is;

export function isSelector(reference: string): boolean {
  return SELECTOR.test(reference);
}

/** A glob on names as a RegExp over folded names: `*` any run, `?` one character, the rest literal. */
export function globRegExp(glob: string): RegExp {
  const body = [...fold(glob)]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** The customers one selector names; a UsageError for an empty value. */
export function matchSelector<T extends SelectableCustomer>(selector: string, customers: T[]): T[] {
  const m = SELECTOR.exec(selector);
  if (!m) return [];
  const kind = (m[1] as string).toLowerCase();
  const value = (m[2] as string).trim();
  if (!value) {
    throw new UsageError(`The selector '${selector.trim()}' names nothing.`, {
      hint: 'Write group:NAME (a customer group) or name:GLOB (e.g. name:Acme*).',
    });
  }
  if (kind === 'group') {
    const key = fold(value);
    return customers.filter((c) => c.group !== undefined && fold(c.group) === key);
  }
  const pattern = globRegExp(value);
  return customers.filter((c) => pattern.test(fold(c.name)));
}

/** The groups of a customers list, each once, sorted. */
export function groupsOf(customers: SelectableCustomer[]): string[] {
  return [...new Set(customers.flatMap((c) => (c.group ? [c.group] : [])))].sort((a, b) =>
    a.localeCompare(b),
  );
}

function emptyMatch(selector: string, customers: SelectableCustomer[]): UsageError {
  const s = selector.trim();
  if (/^group:/i.test(s)) {
    const groups = groupsOf(customers);
    const close = nearest(s.replace(/^group:/i, '').trim(), groups, 3, fold);
    return new UsageError(
      `The selector '${s}' matches no customer${close.length ? ` (nearest groups: ${close.map((g) => `"${g}"`).join(', ')})` : ''}.`,
      {
        code: 'empty_selector',
        hint: `Groups in the customers list: ${groups.slice(0, 12).join(', ') || 'none'}${groups.length > 12 ? ', …' : ''}. 'msp-license customers --refresh' fetches the list again.`,
      },
    );
  }
  return new UsageError(`The selector '${s}' matches no customer.`, {
    code: 'empty_selector',
    hint: "name:GLOB matches whole names, case-insensitively ('name:Acme*', '*Dental*'); 'msp-license customers --search TEXT' lists names.",
  });
}

/**
 * Splits references into selectors and plain ids/names. A whole value that is an exact id or name
 * stays as it is (a customer may be called "group:x"); a comma list is split into its parts only
 * when one of them is a selector, so plain comma lists keep today's handling.
 */
export function splitReferences(
  references: string[],
  isExact: (reference: string) => boolean,
): { selectors: string[]; plain: string[] } {
  const selectors: string[] = [];
  const plain: string[] = [];
  for (const reference of references) {
    if (isExact(reference)) {
      plain.push(reference);
      continue;
    }
    const parts = reference
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (!parts.some(isSelector)) {
      plain.push(reference);
      continue;
    }
    for (const part of parts) (isSelector(part) && !isExact(part) ? selectors : plain).push(part);
  }
  return { selectors, plain };
}

export interface ResolvedReferences {
  customers: CustomerRef[];
  selectors: SelectorMatch[];
}

/**
 * Ids, exact names and selectors resolved against the customers list, duplicates collapsed, in
 * the order first named. Unknown names and selectors matching nobody are UsageErrors (exit 2).
 */
export function resolveReferences(references: string[], customers: SelectableCustomer[]): ResolvedReferences {
  const exact = new Set<string>();
  for (const c of customers) {
    exact.add(fold(c.id));
    exact.add(fold(c.name));
  }
  const { selectors, plain } = splitReferences(references, (r) => exact.has(fold(r)));
  const out = new Map<string, CustomerRef>();
  const matches: SelectorMatch[] = [];
  for (const selector of selectors) {
    const found = matchSelector(selector, customers);
    if (found.length === 0) throw emptyMatch(selector, customers);
    matches.push({ selector: selector.trim(), matched: found.length });
    for (const c of found) if (!out.has(c.id)) out.set(c.id, { id: c.id, name: c.name });
  }
  if (plain.length) {
    for (const c of resolveCustomers(plain, customers)) {
      if (!out.has(c.id)) out.set(c.id, { id: c.id, name: c.name });
    }
  }
  return { customers: [...out.values()], selectors: matches };
}

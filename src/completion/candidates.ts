// Customers as completion candidates, ready to print: what `__complete … --include ''` answers.
// The cache writer stores this text next to the customers cache (cache.ts, writeCache), so that
// a TAB on 10,000 cached customers reads and prints one file instead of parsing the cache; the
// slow path (data.ts, engine.ts) goes through the same functions, so both answers are one text.
// Imports: no Node modules (config/cache.ts loads this).
import { isRecord } from '../core/json.js';
import { cleanText } from '../ui/sanitize.js';
import { type CustomerEntry, customerCandidates, Directive, formatCompletion } from './engine.js';

/** A string from a file (a cache holds what a server sent): control characters made visible. */
export const cachedText = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? cleanText(value) : undefined;

/** The customers of a cached list (entries without an id are skipped). */
export function customerEntries(list: unknown): CustomerEntry[] {
  const result: CustomerEntry[] = [];
  if (!Array.isArray(list)) return result;
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const id = cachedText(entry.id);
    if (id) result.push({ id, name: cachedText(entry.name) ?? '' });
  }
  return result;
}

/** The completion output for a customer value with nothing typed yet, for a cached list. */
export function customerCandidatesText(list: unknown): string {
  return formatCompletion({
    candidates: customerCandidates(customerEntries(list)),
    directive: Directive.noFileComp,
  });
}

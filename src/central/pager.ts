// Every item of an offset-paged list, defensively: servers may cap `limit` silently, repeat
// items, lie about their total, or read `offset` as a page number.
import { pool } from '../core/pool.js';
import type { Page } from './schemas.js';

export interface PageProgress {
  /** Unique items so far. */
  fetched: number;
  total?: number;
  pages: number;
}

export interface PagingOptions<T> {
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>;
  key: (item: T) => string;
  pageSize: number;
  concurrency: number;
  onPage?: (progress: PageProgress) => void;
}

/**
 * Most pages fetched for one list, whatever the server's `total` says (a lying total must neither
 * allocate nor fetch without end): 10,000 pages is a million customers at 100 a page.
 */
export const MAX_PAGES = 10_000;
/** Most pages fetched when the server gives no total (guards against a server that never ends). */
const MAX_PAGES_WITHOUT_TOTAL = MAX_PAGES;

/**
 * Fetch every item of an offset-paged list. `offset` is read as an item index; the first page
 * tells the total and the page size the server really honoured (the step); the next offsets are
 * handed out lazily to `concurrency` workers (the governor keeps the rate). Items are
 * de-duplicated by key; paging stops at the total, at an empty page or a page with nothing new,
 * and never runs more than min(total/step + 10, MAX_PAGES) requests.
 */
export async function fetchAllPages<T>(options: PagingOptions<T>): Promise<T[]> {
  const seen = new Map<string, T>();
  let skipped = 0;
  let pages = 0;
  const add = (page: Page<T>): number => {
    pages += 1;
    skipped += page.skipped;
    let added = 0;
    for (const item of page.items) {
      const k = options.key(item);
      if (!seen.has(k)) {
        seen.set(k, item);
        added += 1;
      }
    }
    options.onPage?.({ fetched: seen.size, total, pages });
    return added;
  };

  const first = await options.fetchPage(0, options.pageSize);
  let total = first.total;
  add(first);
  const step = first.items.length + first.skipped;
  if (step === 0) return [...seen.values()];
  const done = () => total !== undefined && seen.size + skipped >= total;
  const maxPages = Math.min(
    MAX_PAGES,
    total !== undefined ? Math.ceil(total / step) + 10 : MAX_PAGES_WITHOUT_TOTAL,
  );
  let offset = step;

  if (total !== undefined && !done()) {
    let next = step;
    let handedOut = 0;
    let added = 0;
    let ended = false;
    await pool(
      () => {
        if (total === undefined || next >= total || handedOut + 1 >= maxPages) return undefined;
        handedOut += 1;
        const o = next;
        next += step;
        return o;
      },
      options.concurrency,
      async (o) => {
        const page = await options.fetchPage(o, step);
        if (page.total !== undefined) total = page.total;
        if (page.items.length + page.skipped === 0) ended = true;
        const fresh = add(page);
        added += fresh;
        // A server repeating what it sent (or lying about its total) ends the walk here too.
        if (fresh === 0 && pages > options.concurrency + 1 && added === 0) ended = true;
      },
      () => ended || done(),
    );
    if (done() || (ended && added > 0)) return [...seen.values()];
    // Nothing new past the first page: this server reads offset as a page number.
    if (added === 0 && handedOut > 0) return sequential(1, 1);
    offset = next;
  }
  return sequential(offset, step);

  async function sequential(start: number, increment: number): Promise<T[]> {
    let o = start;
    let idle = 0;
    while (!done() && pages < maxPages) {
      const page = await options.fetchPage(o, step);
      if (page.total !== undefined) total = page.total;
      if (page.items.length + page.skipped === 0) break;
      const added = add(page);
      idle = added === 0 ? idle + 1 : 0;
      if (idle >= 2) break;
      if (total === undefined && page.items.length + page.skipped < step) break;
      o += increment;
    }
    return [...seen.values()];
  }
}

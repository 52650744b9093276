// customers: the tenant customers (id, name, group, provision status), from the cache when fresh
// (6 h; --refresh fetches again). Device counts are shown where they are cheap: when the list to
// show is short (--search narrows it), one call per customer, itself cached for the same TTL.
// The whole list, from a fresh cache, is the table file written with the cache (customers.table,
// ui/customers-table.ts): its bytes are printed as they are, the list is not even parsed.
import { countCustomerDevices } from '../central/api.js';
import { readCache, readCompanion, writeCache } from '../config/cache.js';
import type { Context, Session } from '../context.js';
import { isoTime } from '../core/text.js';
import { InterruptedError } from '../errors.js';
import type { CustomersOptions } from '../flags.js';
import {
  customersNote,
  customersTable,
  DEVICE_COUNT_ROWS,
  type TableRow,
  tableFromFile,
} from '../ui/customers-table.js';
import { CUSTOMERS_TTL_MS, cacheKey, loadCustomers } from './shared/data.js';

export { DEVICE_COUNT_ROWS };

const COUNTS_CACHE = 'customer-devices';

export type CustomerRow = TableRow;

export interface CustomersResult {
  customers: CustomerRow[];
  /** Customers shown (after --search). */
  count: number;
  /** Customers of the MSP. */
  total: number;
  search?: string;
  fromCache: boolean;
  fetchedAt: string;
  /** Whether `devices` was filled in (the list was short enough to count cheaply). */
  deviceCounts: boolean;
  note?: string;
}

/**
 * The whole list from a fresh cache, as the table file written with it holds it: printed as is.
 * Never a --json answer (run takes the list's path then).
 */
export interface CachedTableResult {
  /** The table's bytes, exactly what render would write for the list. */
  table: Buffer;
  total: number;
  fromCache: true;
  fetchedAt: string;
}

/**
 * The table file of the customers cache, when `customers` would print exactly it: the cache is
 * fresh (CUSTOMERS_TTL_MS), of this gateway, and the file was made from it as it is now by this
 * build; else undefined (the list is read and rendered).
 */
function cachedTable(ctx: Context, session: Session): CachedTableResult | undefined {
  const companion = readCompanion(ctx.dir, cacheKey(session), 'customers', 'table');
  if (!companion || Date.now() - companion.fetchedAt > CUSTOMERS_TTL_MS) return undefined;
  const file = tableFromFile(companion.body, session.baseUrl);
  return file && { ...file, fromCache: true, fetchedAt: isoTime(companion.fetchedAt) };
}

type Counts = Record<string, { devices: number; at: number }>;

async function addDeviceCounts(
  ctx: Context,
  session: Session,
  rows: CustomerRow[],
  refresh: boolean,
): Promise<string | undefined> {
  const key = cacheKey(session);
  const entry = readCache<Counts>(ctx.dir, key, COUNTS_CACHE);
  const cached: Counts = entry && entry.baseUrl === session.baseUrl ? { ...entry.data } : {};
  const now = Date.now();
  const missing = rows.filter((r) => {
    const hit = cached[r.id];
    return refresh || !hit || now - hit.at > CUSTOMERS_TTL_MS;
  });
  let note: string | undefined;
  try {
    // The rate governor paces these (7/s); at most DEVICE_COUNT_ROWS of them.
    const counted = await Promise.all(missing.map((r) => countCustomerDevices(session.client, r.id)));
    missing.forEach((r, i) => {
      const n = counted[i];
      if (n !== undefined) cached[r.id] = { devices: n, at: now };
    });
    if (missing.length) writeCache(ctx.dir, key, COUNTS_CACHE, session.baseUrl, cached);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    note = `Device counts left out: ${error instanceof Error ? error.message : String(error)}`;
  }
  for (const r of rows) {
    const hit = cached[r.id];
    if (hit) r.devices = hit.devices;
  }
  return note;
}

export async function run(
  ctx: Context,
  options: CustomersOptions,
): Promise<CustomersResult | CachedTableResult> {
  const session = ctx.session();
  const refresh = Boolean(options.refresh);
  const needle = options.search?.trim().toLowerCase();
  // The plain table of the whole list: from the file made with the cache when there is one.
  const table = refresh || needle || ctx.io.json ? undefined : cachedTable(ctx, session);
  if (table) return table;
  const loaded = await loadCustomers(ctx, session, refresh);
  const matching: CustomerRow[] = needle
    ? loaded.data.filter(
        (c) =>
          c.name.toLowerCase().includes(needle) ||
          c.id.toLowerCase().includes(needle) ||
          (c.groupName?.toLowerCase().includes(needle) ?? false),
      )
    : loaded.data;
  const deviceCounts = matching.length > 0 && matching.length <= DEVICE_COUNT_ROWS;
  // Only a short list gets device counts written into its rows: copied then, not the cache's
  // objects (a long list is shown as read: 10,000 copies are start-up time).
  const customers = deviceCounts ? matching.map((c) => ({ ...c })) : matching;
  const note = deviceCounts ? await addDeviceCounts(ctx, session, customers, refresh) : undefined;
  return {
    customers,
    count: customers.length,
    total: loaded.data.length,
    ...(needle ? { search: options.search?.trim() } : {}),
    fromCache: loaded.fromCache,
    fetchedAt: isoTime(loaded.fetchedAt),
    deviceCounts: deviceCounts && customers.some((c) => c.devices !== undefined),
    ...(note ? { note } : {}),
  };
}

export function render(result: CustomersResult | CachedTableResult, ctx: Context): void {
  const { io } = ctx;
  if ('table' in result) {
    // Already cleaned as io.out cleans (when the file was made): the bytes, in one write.
    if (!io.streams.stdout.destroyed) io.streams.stdout.write(result.table);
    io.info(io.style('dim', customersNote(result.total, true, result.fetchedAt)));
    return;
  }
  const rows = result.customers;
  // One write for the whole table (10,000 rows would be 10,000 writes).
  if (rows.length) io.out(customersTable(rows, result.deviceCounts));
  io.info(
    io.style(
      'dim',
      customersNote(result.total, result.fromCache, result.fetchedAt, result.search, rows.length),
    ),
  );
  if (result.note) io.info(io.style('dim', result.note));
}

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;

// customers: the tenant customers (id, name, group, provision status), from the cache when fresh
// (6 h; --refresh fetches again). Device counts are shown where they are cheap: when the list to
// show is short (--search narrows it), one call per customer, itself cached for the same TTL.
import { type Customer, countCustomerDevices } from '../central/api.js';
import { readCache, writeCache } from '../config/cache.js';
import type { Context, Session } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { CustomersOptions } from '../flags.js';
import { type Column, count, table } from '../ui/format.js';
import { CUSTOMERS_TTL_MS, cacheKey, loadCustomers } from './shared/data.js';

/** Most rows that get a device count (one API call each, unless cached). */
export const DEVICE_COUNT_ROWS = 10;
const COUNTS_CACHE = 'customer-devices';

export interface CustomerRow extends Customer {
  /** Devices of the customer, when counted (short lists only). */
  devices?: number;
}

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

export async function run(ctx: Context, options: CustomersOptions): Promise<CustomersResult> {
  const session = ctx.session();
  const refresh = Boolean(options.refresh);
  const loaded = await loadCustomers(ctx, session, refresh);
  const needle = options.search?.trim().toLowerCase();
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
    fetchedAt: new Date(loaded.fetchedAt).toISOString(),
    deviceCounts: deviceCounts && customers.some((c) => c.devices !== undefined),
    ...(note ? { note } : {}),
  };
}

export function render(result: CustomersResult, ctx: Context): void {
  const { io } = ctx;
  const rows = result.customers;
  if (rows.length) {
    const devices = result.deviceCounts;
    const columns: Column[] = [
      { header: 'CUSTOMER ID' },
      // Long names and groups are cut, so that one does not push the table off the screen.
      { header: 'NAME', max: 40 },
      { header: 'GROUP', max: 24 },
      { header: 'STATUS', min: 11 },
      ...(devices ? [{ header: 'DEVICES', align: 'right' as const }] : []),
    ];
    const cells = rows.map((c) => [
      c.id,
      c.name,
      c.groupName ?? '-',
      c.provisionStatus ?? '-',
      ...(devices ? [c.devices === undefined ? '?' : count(c.devices)] : []),
    ]);
    // One write for the whole table (10,000 rows would be 10,000 writes); each line ends with
    // exactly one newline, as io.out would have given it line by line.
    const lines = table(cells, columns);
    io.out(
      lines.some((line) => line.endsWith('\n'))
        ? lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('')
        : `${lines.join('\n')}\n`,
    );
  }
  const of =
    result.search !== undefined
      ? `${count(rows.length)} of ${count(result.total)} customers match '${result.search}'`
      : `${count(result.total)} customers`;
  const age = result.fromCache ? ` (cached ${result.fetchedAt}; --refresh to fetch again)` : '';
  io.info(io.style('dim', `${of}${age}`));
  if (result.note) io.info(io.style('dim', result.note));
}

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;

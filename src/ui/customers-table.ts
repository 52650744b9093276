// The customers table as `customers` prints it, and the file that keeps it ready next to the
// customers cache (`customers.table`, written by config/cache.ts with the cache): `customers` with
// nothing that changes the table then prints that file's bytes instead of parsing the list. Both
// come from customersTable below, so they are one text. Imports: no package (cache.ts loads this).
import type { Customer } from '../central/schemas.js';
import { type Column, count, table } from './format.js';
import { cleanOutput } from './sanitize.js';

/** Most rows that get a device count (one API call each, unless cached): a list this short is never kept. */
export const DEVICE_COUNT_ROWS = 10;

export interface TableRow extends Customer {
  /** Devices of the customer, when counted (short lists only). */
  devices?: number;
}

/**
 * What `customers` writes to stdout for `rows` (before io.out cleans it): one text, every line
 * ending with exactly one newline, as io.out would have given it line by line.
 */
export function customersTable(rows: readonly TableRow[], devices: boolean): string {
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
  const lines = table(cells, columns);
  return lines.some((line) => line.endsWith('\n'))
    ? lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('')
    : `${lines.join('\n')}\n`;
}

/** The status line under the table (stderr): how many, and how old the cached list is. */
export function customersNote(
  total: number,
  fromCache: boolean,
  fetchedAt: string,
  search?: string,
  shown = total,
) {
  const of =
    search !== undefined
      ? `${count(shown)} of ${count(total)} customers match '${search}'`
      : `${count(total)} customers`;
  return `${of}${fromCache ? ` (cached ${fetchedAt}; --refresh to fetch again)` : ''}`;
}

// ---------------------------------------------------------------- customers.table

declare const __VERSION__: string | undefined;
/**
 * What made a table file: its layout and the build that wrote it. A file of another build (an
 * upgrade, a downgrade) is not printed, whatever it holds: `customers` renders the list instead.
 */
const FORMAT = `customers-table/1 ${typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'}`;

/**
 * The body of `customers.table` for a customers cache (after the stamp line cache.ts puts first):
 * a line of JSON (format, gateway, number of customers, size of the table in bytes), then the
 * table exactly as `customers` writes it to stdout (cleaned as io.out cleans). Undefined for a
 * list of DEVICE_COUNT_ROWS or fewer: that one is shown with device counts (API calls), never
 * from a file.
 */
export function customersTableFile(data: unknown, baseUrl: string): string | undefined {
  if (!Array.isArray(data) || data.length <= DEVICE_COUNT_ROWS) return undefined;
  const table = cleanOutput(customersTable(data as Customer[], false));
  const head = JSON.stringify({
    format: FORMAT,
    baseUrl,
    total: data.length,
    bytes: Buffer.byteLength(table),
  });
  return `${head}\n${table}`;
}

export interface TableFile {
  /** The bytes to write to stdout, as they are (a view into the file's buffer, no copy). */
  table: Buffer;
  total: number;
}

/**
 * The table of a `customers.table` body (see customersTableFile), when it was written by this
 * build for the gateway `baseUrl`; else undefined. Reads only its first line; never throws.
 */
export function tableFromFile(body: Buffer, baseUrl: string): TableFile | undefined {
  try {
    const end = body.indexOf(10);
    if (end === -1 || end > 16_384) return undefined;
    const head: unknown = JSON.parse(body.toString('utf8', 0, end));
    if (head === null || typeof head !== 'object') return undefined;
    const { format, baseUrl: url, total, bytes } = head as Record<string, unknown>;
    if (format !== FORMAT || url !== baseUrl) return undefined;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total <= DEVICE_COUNT_ROWS)
      return undefined;
    const table = body.subarray(end + 1);
    // All of it, as written: a file cut short (or added to) is not the table.
    if (bytes !== table.length || table.length === 0) return undefined;
    return { table, total };
  } catch {
    return undefined;
  }
}

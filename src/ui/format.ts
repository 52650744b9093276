// The one table, number and plural helper of the human output (JSON output never goes through
// here). Widths are terminal columns (width.ts), not code units, and our own colours take none.
import { cutColumns, displayWidth } from './width.js';

export { count, plural } from '../core/text.js';

export interface Column {
  /** The header line's cell; no column with a header, no header line. */
  header?: string;
  /** Numbers align right; a right-aligned cell is always padded, a left-aligned last one never. */
  align?: 'left' | 'right';
  /** At least this many columns wide. */
  min?: number;
  /** At most this many: a longer cell is cut with '…'. */
  max?: number;
}

// msp-license's own colours (sanitize.ts lets only these through): they take no column.
const SGR = /\u001b\[[0-9;]*m/g;
const width = (text: string) => displayWidth(text.includes('\u001b') ? text.replace(SGR, '') : text);

/**
 * The lines of a table: each column as wide as its widest cell (header included), within
 * min/max, columns apart by `gap`. A row may have fewer cells than there are columns: it ends at
 * its last cell.
 */
export function table(rows: string[][], columns: Column[], gap = '  '): string[] {
  const headers = columns.map((c) => c.header ?? '');
  while (headers.length && !columns[headers.length - 1]?.header) headers.pop();
  const all = headers.length ? [headers, ...rows] : rows;
  // Two passes, nothing kept between them but the widths (a list of 10,000 customers is 50,000
  // cells): a column is as wide as its widest uncut cell, within min/max.
  const widest = columns.map((c) => c.min ?? 0);
  for (const row of all) {
    const n = Math.min(row.length, widest.length);
    for (let i = 0; i < n; i++) {
      const w = width(row[i] as string);
      if (w > (widest[i] as number)) widest[i] = w;
    }
  }
  const widths = columns.map((c, i) => Math.min(c.max ?? Number.POSITIVE_INFINITY, widest[i] as number));
  return all.map((row) => {
    const cells: string[] = [];
    for (let i = 0; i < row.length; i++) {
      const c = columns[i];
      let text = row[i] as string;
      let w = width(text);
      if (c?.max !== undefined && w > c.max) {
        text = cutColumns(text, c.max);
        w = width(text);
      }
      const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - w));
      if (c?.align === 'right') cells.push(pad + text);
      else cells.push(i === row.length - 1 ? text : text + pad);
    }
    return cells.join(gap);
  });
}

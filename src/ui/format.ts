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
  const cut = (text: string, c: Column | undefined) =>
    c?.max !== undefined && width(text) > c.max ? cutColumns(text, c.max) : text;
  const widths = columns.map((c, i) =>
    Math.min(
      c.max ?? Number.POSITIVE_INFINITY,
      Math.max(c.min ?? 0, ...all.map((row) => (row[i] === undefined ? 0 : width(row[i] as string)))),
    ),
  );
  return all.map((row) =>
    row
      .map((cell, i) => {
        const c = columns[i];
        const text = cut(cell, c);
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(text)));
        if (c?.align === 'right') return pad + text;
        return i === row.length - 1 ? text : text + pad;
      })
      .join(gap),
  );
}

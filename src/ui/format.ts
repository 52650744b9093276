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
  // Each cell measured once (a list of 10,000 customers is 50,000 cells): its text as shown (cut
  // to the column's max) and that text's width; a column is as wide as its widest uncut cell.
  const widest = columns.map((c) => c.min ?? 0);
  const shown: string[][] = [];
  const sizes: number[][] = [];
  for (const row of all) {
    const texts: string[] = [];
    const widths: number[] = [];
    for (let i = 0; i < row.length; i++) {
      const cell = row[i] as string;
      const c = columns[i];
      let w = width(cell);
      if (i < widest.length && w > (widest[i] as number)) widest[i] = w;
      let text = cell;
      if (c?.max !== undefined && w > c.max) {
        text = cutColumns(cell, c.max);
        w = width(text);
      }
      texts.push(text);
      widths.push(w);
    }
    shown.push(texts);
    sizes.push(widths);
  }
  const widths = columns.map((c, i) => Math.min(c.max ?? Number.POSITIVE_INFINITY, widest[i] as number));
  return shown.map((texts, r) => {
    const measured = sizes[r] as number[];
    let line = '';
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] as string;
      const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - (measured[i] as number)));
      if (i > 0) line += gap;
      if (columns[i]?.align === 'right') line += pad + text;
      else line += i === texts.length - 1 ? text : text + pad;
    }
    return line;
  });
}

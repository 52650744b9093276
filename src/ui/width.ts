// Terminal columns of a string: East Asian wide and fullwidth characters (and most emoji) take
// two, combining marks and zero-width joiners none. Enough for aligning tables of names; no deps.

// Made on the first non-ASCII text (a Unicode property class costs ~0.1 ms to build).
let WIDE: RegExp | undefined;
let ZERO: RegExp | undefined;

function charWidth(ch: string): number {
  ZERO ??= /^(?:\p{Mn}|\p{Me}|\p{Cf})$/u;
  if (ZERO.test(ch)) return 0;
  WIDE ??=
    /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
  return WIDE.test(ch) ? 2 : 1;
}

// ASCII (controls included) is one column a character: most text is, and it skips the per-character tests.
const ASCII = /^[\u0000-\u007f]*$/;

export function displayWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** `text` padded with spaces to `width` columns. */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** `text` cut to at most `width` columns, with '…' when cut. */
export function cutColumns(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

// Text that came from outside (a server's names and messages, a cache, the history file) must
// never drive the terminal: C0 and C1 controls, DEL and the bidirectional overrides are shown as
// visible stand-ins instead of acting (an OSC title, a screen clear, a fake line in front of a
// confirmation, a name that reverses the rest of its row). No imports: completion loads this.

// C0 (but \n and \t, handled per function), DEL, C1, and the bidi controls (LRM, RLM, ALM,
// LRE..RLO, LRI..PDI).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function standIn(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀..␟ (␛ for ESC, ␊ for LF)
  if (code === 0x7f) return '\u2421'; // ␡
  return '\ufffd';
}

/** One line of outside text (a name, a message): every control character becomes visible. */
export function cleanText(text: string): string {
  return text.replace(CONTROLS, standIn);
}

/** Deep copy of a parsed JSON value with every string cleaned (keys are left as they are). */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = cleanJson(item);
    return out;
  }
  return value;
}

// The colours msp-license itself paints (chalk level 1: bold, dim, red, green, yellow, cyan and
// their resets): the only escape sequences that may reach the terminal through the IO layer.
const OWN_STYLE = /\u001b\[(?:1|2|22|31|32|33|36|39)m/y;

/**
 * A block of output about to be written: newlines and tabs stay, msp-license's own colours stay,
 * every other control character (\r, ESC of any other sequence, C1, DEL, bidi) becomes visible.
 */
export function cleanOutput(text: string): string {
  let out = '';
  let last = 0;
  CONTROLS.lastIndex = 0;
  for (let m = CONTROLS.exec(text); m !== null; m = CONTROLS.exec(text)) {
    const ch = m[0];
    const at = m.index;
    if (ch === '\n' || ch === '\t') continue;
    if (ch === '\u001b') {
      OWN_STYLE.lastIndex = at;
      const style = OWN_STYLE.exec(text);
      if (style) {
        CONTROLS.lastIndex = at + style[0].length;
        continue;
      }
    }
    out += text.slice(last, at) + standIn(ch);
    last = at + ch.length;
  }
  return out + text.slice(last);
}

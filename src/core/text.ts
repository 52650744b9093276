// Counts in text: one formatter and one plural for every message and table (src/ui/format.ts
// re-exports them for the renderers). Pure, no imports.

/** 1234567 → '1,234,567': counts read the same on every machine, whatever its locale. */
export function count(n: number): string {
  // The same digits and commas as toLocaleString('en-US') gives a whole number, without the ICU
  // number formatter (its first use costs ~10 ms of start-up).
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
    const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
    return n < 0 ? `-${digits}` : digits;
  }
  return n.toLocaleString('en-US');
}

/** `plural(1, 'customer')` → '1 customer'; `plural(1234, 'customer')` → '1,234 customers'. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}

/**
 * `new Date(ms).toISOString()`, from the UTC fields: the same text (a year outside 0–9999, or no
 * valid time, is left to toISOString itself, which words or throws it), without toISOString's
 * first call, which sets up V8's date cache (~0.2 ms of every start that prints a time).
 */
export function isoTime(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')}Z`;
}

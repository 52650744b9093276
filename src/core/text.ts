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

// The bounded edit distance must agree with the full one wherever it answers, so that the
// suggestions (which customers, which services, in which order) are the same as before the bound.
import { describe, expect, it } from 'vitest';
import { distance, nearest } from '../../../src/core/suggest.js';

/** The textbook Levenshtein table, kept here as the reference. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

/** A small deterministic generator (no flaky seeds). */
function words(seed: number, count: number): string[] {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: next() % 12 }, () => 'abcde'[next() % 5]).join(''),
  );
}

describe('distance', () => {
  it('equals the reference, and with a bound gives min(distance, bound + 1)', () => {
    const list = words(7, 120);
    let compared = 0;
    for (let i = 0; i + 1 < list.length; i++) {
      const [a, b] = [list[i]!, list[i + 1]!];
      const exact = reference(a, b);
      expect(distance(a, b), `${a} / ${b}`).toBe(exact);
      for (const max of [0, 1, 2, 3, 5]) {
        expect(distance(a, b, max), `${a} / ${b} within ${max}`).toBe(Math.min(exact, max + 1));
        compared++;
      }
    }
    expect(compared).toBe(595);
  });

  it('gives up early on far strings: 10,000 long ids against one in well under a second', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `${i}`.padStart(34, 'f'));
    // Not a timed assertion: the answer must be the near one, found among far ones.
    expect(nearest(`${ids[4321]}x`, ids, 2)[0]).toBe(ids[4321]);
    expect(nearest('0123456789', ids, 2)).toEqual([]);
  });
});

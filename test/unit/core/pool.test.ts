import { describe, expect, test } from 'vitest';
import { from, pool } from '../../../src/core/pool.js';

describe('pool', () => {
  test('every item once, at most `concurrency` at a time', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await pool(from([1, 2, 3, 4, 5, 6, 7]), 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
  test('items are made one at a time (a lazy next), and stop() ends the walk', async () => {
    let made = 0;
    const next = () => (made < 1_000_000 ? made++ : undefined);
    let done = 0;
    await pool(
      next,
      2,
      async () => {
        done++;
      },
      () => done >= 10,
    );
    expect(made).toBeLessThanOrEqual(12);
  });
  test('the first failure is thrown and no worker takes more', async () => {
    const taken: number[] = [];
    await expect(
      pool(from([1, 2, 3, 4, 5, 6]), 2, async (n) => {
        taken.push(n);
        if (n === 2) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 5));
      }),
    ).rejects.toThrow('boom');
    expect(taken.length).toBeLessThanOrEqual(3);
  });
});

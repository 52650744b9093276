// isoTime must print exactly what toISOString prints, for every time a run can meet.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../src/core/text.js';

describe('isoTime', () => {
  it('equals toISOString from 1970 to 9999, leap days and the last millisecond of a year included', () => {
    const times = [
      0,
      -1,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(100, 0, 1),
    ];
    // Every 37 days and 12,345 ms from 1960 to 2100 (no random seed: the same cases each run).
    for (let t = Date.UTC(1960, 0, 1); t < Date.UTC(2100, 0, 1); t += 37 * 86_400_000 + 12_345) times.push(t);
    for (const t of times) expect(isoTime(t), String(t)).toBe(new Date(t).toISOString());
    expect(times.length).toBeGreaterThan(1300);
  });

  it('leaves the rest to toISOString: a six-digit year, and a RangeError for no time', () => {
    const far = Date.UTC(10000, 0, 1);
    expect(isoTime(far)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});

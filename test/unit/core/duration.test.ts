import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration, parseSince } from '../../../src/core/duration.js';

describe('parseDuration', () => {
  test.each([
    ['30m', 1_800_000],
    ['15s', 15_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['2d', 172_800_000],
    ['1.5s', 1500],
    ['45', 45_000],
    [' 3S ', 3000],
  ])('%s', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));
  test.each(['', 'soon', '5x', '1h 30m', 'm', '-5s', '5s!'])("'%s' is exit 2 naming the flag", (text) =>
    expect(() => parseDuration(text, '--timeout')).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringContaining('--timeout') }),
    ),
  );
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [3_000, '3s'],
    [59_400, '59s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
  ])('%i ms', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('parseSince', () => {
  const now = Date.parse('2026-11-10T12:00:00Z');
  test('a date', () => expect(parseSince('2026-11-01', now)).toBe(Date.parse('2026-11-01')));
  test('a duration ago', () => expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000));
  test('neither', () => expect(() => parseSince('yesterday', now)).toThrow(/--since/));
});

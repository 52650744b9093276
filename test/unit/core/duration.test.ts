import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration, parseInteger, parseSince } from '../../../src/core/duration.js';

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

describe('ranges (issue 10, bug 9)', () => {
  test('a duration out of range is exit 2 naming the range', () =>
    expect(() => parseDuration('0', '--timeout', { min: 1000, max: 7 * 86_400_000 })).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: "--timeout: '0' is out of range: use a value from 1s to 7d.",
      }),
    ));
  test('within range', () =>
    expect(parseDuration('2h', '--timeout', { min: 1000, max: 86_400_000 })).toBe(7_200_000));
  test.each([
    ['200', 200],
    ['+7', 7],
    [' 12 ', 12],
  ])('parseInteger %j', (text, n) =>
    expect(parseInteger(text, '--chunk-size', { min: 1, max: 10_000 })).toBe(n),
  );
  test.each(['1e3', '1.5', '', '0x10', '99999999999999999999'])(
    'parseInteger %j is not a whole number',
    (text) =>
      expect(() => parseInteger(text, '--chunk-size')).toThrow(/--chunk-size: '.*' is not a whole number/),
  );
  test('a negative whole number is out of range, not "not a number"', () =>
    expect(() => parseInteger('-1', '--limit', { min: 1, max: 10 })).toThrow(
      "--limit: '-1' is out of range: use a value from 1 to 10.",
    ));
  test('parseInteger out of range names the range with thousands separators', () =>
    expect(() => parseInteger('70000', '--port', { min: 0, max: 65_535 })).toThrow(
      "--port: '70000' is out of range: use a value from 0 to 65,535.",
    ));
  test.each([
    [500, '500ms'],
    [86_400_000, '1d'],
    [7 * 86_400_000 + 3_600_000, '7d1h'],
  ])('formatDuration %i', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

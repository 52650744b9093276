import { describe, expect, test } from 'vitest';
import { buildScope, chunk, halve, planRequests, scopeMode } from '../../../src/core/scope.js';

const c = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, name: `Customer ${i + 1}` }));
const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `c${i + from}`);
const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { exitCode: number; message: string; hint?: string; code: string };
  }
  throw new Error('expected a UsageError');
};

describe('scopeMode (the scope guard)', () => {
  test('include', () => expect(scopeMode({ include: ['a'] })).toBe('include'));
  test('include file', () => expect(scopeMode({ includeFile: 'f' })).toBe('include'));
  test('exclude', () => expect(scopeMode({ exclude: ['a'] })).toBe('exclude'));
  test('exclude file', () => expect(scopeMode({ excludeFile: '-' })).toBe('exclude'));
  test('all', () => expect(scopeMode({ allCustomers: true })).toBe('all'));
  test('nothing: exit 2 naming --all-customers', () =>
    expect(usage(() => scopeMode({}))).toMatchObject({
      exitCode: 2,
      code: 'missing_scope',
      hint: expect.stringContaining('--all-customers'),
    }));
  test('empty lists are no scope', () =>
    expect(usage(() => scopeMode({ include: [], exclude: [] })).exitCode).toBe(2));
  test('include + exclude', () =>
    expect(usage(() => scopeMode({ include: ['a'], exclude: ['b'] })).message).toMatch(
      /--include and --exclude/,
    ));
  test('include file + exclude', () =>
    expect(usage(() => scopeMode({ includeFile: 'f', exclude: ['b'] })).exitCode).toBe(2));
  test('all + include', () =>
    expect(usage(() => scopeMode({ allCustomers: true, include: ['a'] })).message).toMatch(
      /--all-customers/,
    ));
  test('all + exclude', () =>
    expect(usage(() => scopeMode({ allCustomers: true, exclude: ['a'] })).exitCode).toBe(2));
});

describe('buildScope', () => {
  const all = c(5);
  test('include: the listed', () =>
    expect(buildScope('include', all.slice(0, 2), all).inScope).toEqual(all.slice(0, 2)));
  test('exclude: the others', () =>
    expect(buildScope('exclude', [all[1]!, all[3]!], all).inScope.map((x) => x.id)).toEqual([
      'c1',
      'c3',
      'c5',
    ]));
  test('all: everyone, nothing listed', () =>
    expect(buildScope('all', [], all)).toEqual({ mode: 'all', listed: [], inScope: all }));
});

describe('planRequests', () => {
  const all = c(10);
  test('all: one request with neither list', () =>
    expect(planRequests(buildScope('all', [], all), 3)).toEqual({ strategy: 'all', requests: [{}] }));
  test('explicitOnly (unassign): all becomes every tenant, named, chunked', () =>
    expect(planRequests(buildScope('all', [], all), 4, { explicitOnly: true })).toEqual({
      strategy: 'complement',
      requests: [{ include: ids(4) }, { include: ids(4, 5) }, { include: ids(2, 9) }],
    }));
  test('explicitOnly (unassign): a short exclude list still becomes the named complement', () =>
    expect(planRequests(buildScope('exclude', all.slice(0, 2), all), 50, { explicitOnly: true })).toEqual({
      strategy: 'complement',
      requests: [{ include: ids(8, 3) }],
    }));
  test('include within the limit: one request', () =>
    expect(planRequests(buildScope('include', all.slice(0, 3), all), 3)).toEqual({
      strategy: 'include',
      requests: [{ include: ids(3) }],
    }));
  test('include over the limit: chunked', () =>
    expect(planRequests(buildScope('include', all.slice(0, 7), all), 3).requests).toEqual([
      { include: ids(3) },
      { include: ids(3, 4) },
      { include: ['c7'] },
    ]));
  test('exclude within the limit: one exclude request', () =>
    expect(planRequests(buildScope('exclude', all.slice(0, 2), all), 3)).toEqual({
      strategy: 'exclude',
      requests: [{ exclude: ['c1', 'c2'] }],
    }));
  test('exclude over the limit: the complement include list, chunked, never split excludes', () =>
    expect(planRequests(buildScope('exclude', all.slice(0, 4), all), 3)).toEqual({
      strategy: 'complement',
      requests: [{ include: ids(3, 5) }, { include: ids(3, 8) }],
    }));
  test('a limit below 1 is a usage error', () =>
    expect(usage(() => planRequests(buildScope('all', [], all), 0)).exitCode).toBe(2));
});

describe('halve / chunk', () => {
  test('halves an include list (first half the larger)', () =>
    expect(halve({ include: ids(5) })).toEqual([{ include: ids(3) }, { include: ids(2, 4) }]));
  test('a single id cannot shrink', () => expect(halve({ include: ['c1'] })).toBeUndefined());
  test('an exclude request is never halved', () => expect(halve({ exclude: ids(4) })).toBeUndefined());
  test('an all request is never halved', () => expect(halve({})).toBeUndefined());
  test('chunk', () => expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]));
  test('chunk of nothing', () => expect(chunk([], 2)).toEqual([]));
});

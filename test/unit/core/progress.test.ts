import { describe, expect, test } from 'vitest';
import { evaluateProgress, formatProgress } from '../../../src/core/progress.js';

// assign: `remaining` is the MSP-wide count of devices without the license (it falls as the job
// works); unassign: the MSP-wide count of licenses used (it falls too).
const ap = { service: 'foundation_ap', needed: 100, neededExact: true, startRemaining: 150 };
const sw = { service: 'foundation_switch_6300', needed: 10, neededExact: true, startRemaining: 10 };
const at = (remaining: number, licensesAvailable?: number) => [
  { service: 'foundation_ap', remaining, ...(licensesAvailable === undefined ? {} : { licensesAvailable }) },
];

describe('evaluateProgress', () => {
  test('no sample yet: nothing done', () =>
    expect(evaluateProgress('assign', [ap], [])).toMatchObject({
      done: 0,
      needed: 100,
      percent: 0,
      complete: false,
    }));
  test('assign: done is the fall of unlicensed devices since the start', () =>
    expect(evaluateProgress('assign', [ap], at(120))).toMatchObject({
      done: 30,
      percent: 30,
      complete: false,
    }));
  test('complete when the fall reaches needed (capped)', () =>
    expect(evaluateProgress('assign', [ap], at(20))).toMatchObject({
      done: 100,
      percent: 100,
      complete: true,
    }));
  test('unassign: done is the fall of licenses used', () =>
    expect(evaluateProgress('unassign', [{ ...ap, needed: 50, startRemaining: 80 }], at(30))).toMatchObject({
      done: 50,
      complete: true,
    }));
  test('a rise never counts negative', () => expect(evaluateProgress('assign', [ap], at(160)).done).toBe(0));
  test('needed 0 is complete at once', () =>
    expect(evaluateProgress('assign', [{ ...ap, needed: 0 }], [])).toMatchObject({
      complete: true,
      percent: 100,
    }));
  test('nothing left anywhere is complete, whatever the need said', () =>
    expect(
      evaluateProgress('assign', [{ ...ap, needed: undefined, neededExact: false }], at(0)),
    ).toMatchObject({
      complete: true,
    }));
  test('blocked: exact need, not complete, no license left', () =>
    expect(evaluateProgress('assign', [ap], at(140, 0))).toMatchObject({ blocked: true, complete: false }));
  test('an upper-bound need is never blocked at once, but is out of licenses', () =>
    expect(evaluateProgress('assign', [{ ...ap, neededExact: false }], at(140, 0))).toMatchObject({
      blocked: false,
      outOfLicenses: true,
      exact: false,
    }));
  test('not blocked while another service can still progress', () =>
    expect(
      evaluateProgress(
        'assign',
        [ap, sw],
        [
          { service: 'foundation_ap', remaining: 140, licensesAvailable: 0 },
          { service: 'foundation_switch_6300', remaining: 8, licensesAvailable: 5 },
        ],
      ),
    ).toMatchObject({ blocked: false, done: 12, needed: 110 }));
  test('blocked once the others are complete', () =>
    expect(
      evaluateProgress(
        'assign',
        [ap, sw],
        [
          { service: 'foundation_ap', remaining: 140, licensesAvailable: 0 },
          { service: 'foundation_switch_6300', remaining: 0, licensesAvailable: 5 },
        ],
      ).blocked,
    ).toBe(true));
  test('unassign is never blocked by licenses', () =>
    expect(evaluateProgress('unassign', [ap], at(100, 0)).blocked).toBe(false));
  test('unknown need: counts, never complete while something is left, no percent', () => {
    const p = evaluateProgress('assign', [{ ...ap, needed: undefined, neededExact: false }], at(125));
    expect(p).toMatchObject({ done: 25, complete: false, blocked: false, exact: false });
    expect(p.needed).toBeUndefined();
    expect(p.percent).toBeUndefined();
  });
});

describe('formatProgress', () => {
  test('exact need', () =>
    expect(
      formatProgress(
        evaluateProgress('assign', [{ ...ap, needed: 50_000, startRemaining: 60_000 }], at(47_660)),
      ),
    ).toBe('12,340 / 50,000 devices, 24%'));
  test('upper-bound need', () =>
    expect(
      formatProgress(
        evaluateProgress(
          'assign',
          [{ ...ap, needed: 200, neededExact: false, startRemaining: 300 }],
          at(250),
        ),
      ),
    ).toBe('50 / at most 200 devices, 25%'));
  test('unknown need', () =>
    expect(
      formatProgress(
        evaluateProgress(
          'assign',
          [{ ...ap, needed: undefined, neededExact: false, startRemaining: 2_000 }],
          at(1_000),
        ),
      ),
    ).toBe('1,000 devices changed so far'));
});

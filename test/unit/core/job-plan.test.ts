import { describe, expect, test } from 'vitest';
import {
  checkWaitDurations,
  complementChunks,
  dayBudgetShortfall,
  jobTargets,
  type MeasuredScope,
  outcomeOf,
  planRows,
  planWarnings,
  requestRecord,
} from '../../../src/core/job-plan.js';
import { InterruptedError, StalledError } from '../../../src/errors.js';

const wide = { service: 'foundation_ap', licensesUsed: 40, unlicensedDevices: 60, licensesAvailable: 10 };
const measured = (exact: boolean, method = 'listed'): MeasuredScope => ({
  mspWide: [wide],
  inScope: [{ service: 'foundation_ap', licensed: 4, unlicensed: 6 }],
  exact: { licensed: exact, unlicensed: exact },
  method,
  ...(exact ? {} : { reason: 'upper bounds' }),
});

describe('planRows', () => {
  test('assign: eligible = licensed + unlicensed devices; to change = unlicensed', () =>
    expect(planRows('assign', ['foundation_ap'], measured(true))[0]).toMatchObject({
      eligible: 10,
      licensed: 4,
      toChange: 6,
      exact: true,
    }));
  test('unassign: to change = licensed devices', () =>
    expect(planRows('unassign', ['foundation_ap'], measured(true))[0]?.toChange).toBe(4));
  test('the pool is licenses, and a shortfall is devices beyond them', () =>
    expect(
      planRows('assign', ['foundation_ap'], {
        ...measured(true),
        mspWide: [{ ...wide, licensesAvailable: 2 }],
      })[0],
    ).toMatchObject({ licensesAvailable: 2, shortfall: 4 }));
  test('unknown counts: only the pool', () =>
    expect(
      planRows('assign', ['foundation_ap'], { ...measured(false, 'unknown'), inScope: undefined })[0],
    ).toEqual({ service: 'foundation_ap', licensesAvailable: 10 }));
  test('upper bounds are said per count', () =>
    expect(planRows('assign', ['foundation_ap'], measured(false))[0]).toMatchObject({
      exact: false,
      countsExact: { licensed: false, unlicensed: false },
    }));
});

describe('planWarnings', () => {
  test('a shortfall names devices and licenses', () =>
    expect(
      planWarnings(
        'assign',
        planRows('assign', ['foundation_ap'], {
          ...measured(true),
          mspWide: [{ ...wide, licensesAvailable: 2 }],
        }),
        measured(true),
      ),
    ).toEqual([
      'foundation_ap: 6 devices need a license but only 2 licenses are available; 4 devices will stay unlicensed.',
    ]));
  test('upper bounds are announced', () =>
    expect(
      planWarnings('assign', planRows('assign', ['foundation_ap'], measured(false)), measured(false)).join(
        ' ',
      ),
    ).toMatch(/upper bounds/));
});

describe('the rest of the plan', () => {
  test('--wait watches the MSP-wide remainder: unlicensed devices for assign', () =>
    expect(
      jobTargets('assign', planRows('assign', ['foundation_ap'], measured(true)), measured(true)),
    ).toEqual([{ service: 'foundation_ap', needed: 6, neededExact: true, startRemaining: 60 }]));
  test('…and licenses used for unassign', () =>
    expect(
      jobTargets('unassign', planRows('unassign', ['foundation_ap'], measured(true)), measured(true))[0]
        ?.startRemaining,
    ).toBe(40));
  test('the day budget: a message only when the worst case does not fit', () => {
    expect(dayBudgetShortfall({ dayRemaining: 1000 }, 1, 1, 60_000, 15_000)).toBeUndefined();
    expect(dayBudgetShortfall({ dayRemaining: 3, dayLimit: 5000 }, 1, 1, 60_000, 15_000)).toMatch(
      /up to 5 API calls .* only 3 of today's budget of 5,000/,
    );
  });
  test('an exclude list too large becomes include chunks half its size', () =>
    expect(complementChunks(['x', 'y', 'z', 'w'], ['a', 'b', 'c', 'd', 'e'])).toEqual([
      { include: ['a', 'b'] },
      { include: ['c', 'd'] },
      { include: ['e'] },
    ]));
  test('request records count the customers of their list', () =>
    expect(requestRecord(2, { exclude: ['a', 'b'] }, 'not-sent')).toEqual({
      index: 2,
      customers: 2,
      kind: 'exclude',
      status: 'not-sent',
    }));
  test('outcomes of errors', () => {
    expect(outcomeOf(new InterruptedError())).toBe('interrupted');
    expect(outcomeOf(new StalledError('x'))).toBe('stalled');
    expect(outcomeOf(new Error('x'))).toBe('failed');
  });
  test.each([
    [15_000, 600_000, undefined],
    [60_000, 60_000, undefined],
    [60_000, 10_000, /--stall-after \(10s\) is shorter than --interval \(1m\)/],
  ])('wait durations: every %d ms, stall after %d ms', (interval, stall, refused) => {
    if (refused) expect(() => checkWaitDurations(interval, stall)).toThrow(refused);
    else expect(() => checkWaitDurations(interval, stall)).not.toThrow();
  });
});

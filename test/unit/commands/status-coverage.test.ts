// status's pure part, one line per case: coverage rows, the last job, the auto-licensing lines.
import { describe, expect, test } from 'vitest';
import {
  autoLicenseLines,
  bar,
  coverageRow,
  lastJobOf,
  percentLicensed,
} from '../../../src/commands/status/coverage.js';
import type { StoredEvent } from '../../../src/config/history.js';

describe('percentLicensed (rounded down; 100 only when complete)', () => {
  test.each([
    [0, 0, 100],
    [0, 10, 0],
    [5, 10, 50],
    [199, 200, 99],
    [200, 200, 100],
    [12, 10, 100],
  ])('%s of %s → %s%%', (licensed, eligible, expected) =>
    expect(percentLicensed(licensed, eligible)).toBe(expected),
  );
});

describe('coverageRow', () => {
  test.each([
    [
      { licensed: 3, unlicensed: 1 },
      { licensed: 3, eligible: 4, missing: 1, percent: 75 },
    ],
    [
      { licensed: 0, unlicensed: 0 },
      { licensed: 0, eligible: 0, missing: 0, percent: 100 },
    ],
  ])('%j → %j', (counts, expected) =>
    expect(coverageRow('foundation_ap', counts)).toEqual({ service: 'foundation_ap', ...expected }),
  );
});

describe('bar', () => {
  test.each([
    [0, 4, '░░░░'],
    [50, 4, '██░░'],
    [100, 4, '████'],
    [150, 4, '████'],
  ])('%s%% in %s cells → %s', (percent, width, expected) => expect(bar(percent, width)).toBe(expected));
});

describe('lastJobOf', () => {
  const run = { profile: 'p', gateway: 'https://g', verb: 'assign', services: ['foundation_ap'] };
  const sent = (id: string, more = {}): StoredEvent => ({
    id,
    time: `t${id}`,
    event: 'sent',
    ...run,
    ...more,
  });
  const result = (id: string, more = {}): StoredEvent => ({
    id,
    time: `t${id}`,
    event: 'result',
    ...run,
    ...more,
  });
  test.each([
    ['nothing', [], undefined],
    ['a sent event', [sent('1')], { id: '1', time: 't1', verb: 'assign', services: ['foundation_ap'] }],
    [
      'the newest wins',
      [sent('1'), result('2', { outcome: 'done', requests: [{}, {}] })],
      { id: '2', outcome: 'done', requests: 2 },
    ],
    [
      'no requests: no count',
      [result('3', { outcome: 'failed', requests: [] })],
      { id: '3', outcome: 'failed' },
    ],
    ['another profile is skipped', [sent('1'), sent('2', { profile: 'q' })], { id: '1' }],
    ['another gateway is skipped', [sent('1'), sent('2', { gateway: 'https://h' })], { id: '1' }],
  ] as Array<[string, StoredEvent[], object | undefined]>)('%s', (_name, events, expected) => {
    const job = lastJobOf(events, 'p', 'https://g');
    if (expected === undefined) expect(job).toBeUndefined();
    else expect(job).toMatchObject(expected);
  });
  test('a sent event has no outcome or count', () =>
    expect(Object.keys(lastJobOf([sent('1')], 'p', 'https://g') ?? {})).toEqual([
      'id',
      'time',
      'verb',
      'services',
    ]));
  test('no profile (credentials from the environment) matches events without one', () =>
    expect(lastJobOf([sent('1', { profile: undefined }), sent('2')], undefined, 'https://g')?.id).toBe('1'));
});

describe('autoLicenseLines', () => {
  const now = 1_000_000;
  const msp = { services: ['foundation_ap'], fetchedAt: now - 120_000 };
  test.each([
    ['nothing known: no line', undefined, {}, []],
    [
      'the MSP default on, pause unknown',
      msp,
      {},
      [{ service: 'foundation_ap', mspDefault: true, paused: null, ageMs: 120_000 }],
    ],
    [
      'pause known, default unknown',
      undefined,
      { foundation_ap: { paused: true, fetchedAt: now - 60_000 } },
      [{ service: 'foundation_ap', mspDefault: null, paused: true, ageMs: 60_000 }],
    ],
    [
      'the older answer gives the age',
      msp,
      { foundation_ap: { paused: false, fetchedAt: now - 1_000 } },
      [{ service: 'foundation_ap', mspDefault: true, paused: false, ageMs: 120_000 }],
    ],
    [
      'an unreadable MSP answer: default unknown',
      { services: null, fetchedAt: now },
      {},
      [{ service: 'foundation_ap', mspDefault: null, paused: null, ageMs: 0 }],
    ],
  ] as const)('%s', (_name, m, pauses, expected) =>
    expect(autoLicenseLines(['foundation_ap'], m, pauses, now)).toEqual(expected),
  );
  test('a service off in the MSP default', () =>
    expect(autoLicenseLines(['advanced_ap'], msp, {}, now)[0]?.mspDefault).toBe(false));
});

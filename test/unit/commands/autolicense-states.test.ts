// autolicense status's pure part, one line per case: the cost, the settings, each service's line.
import { describe, expect, test } from 'vitest';
import {
  ageText,
  callsNeeded,
  customerSettings,
  serviceState,
  servicesNamed,
} from '../../../src/commands/autolicense/states.js';

const now = 10_000_000;
const cache = {
  c1: { services: ['foundation_ap'], fetchedAt: now - 60_000 },
  c2: { services: [], fetchedAt: now },
  c3: { services: null, fetchedAt: now },
  msp: { services: ['foundation_ap', 'advanced_ap'], fetchedAt: now },
};
const refs = [
  { id: 'c1', name: 'One' },
  { id: 'c2', name: 'Two' },
  { id: 'c3', name: 'Three' },
  { id: 'c4', name: 'Four' },
];

describe('callsNeeded: a call per customer asked, two per service', () => {
  test.each([
    [3, 2, {}, 3 + 4],
    [0, undefined, {}, 2],
    [5, undefined, cache, 5 + 4],
    [1, 1, cache, 1 + 2],
  ])('%s customers, --services %s → %s', (toFetch, explicit, c, expected) =>
    expect(callsNeeded(toFetch, explicit, c)).toBe(expected),
  );
});

describe('customerSettings', () => {
  test('the cached answer and its age; no answer: null, age 0', () =>
    expect(customerSettings(refs, cache, now)).toEqual([
      { id: 'c1', name: 'One', services: ['foundation_ap'], ageMs: 60_000 },
      { id: 'c2', name: 'Two', services: [], ageMs: 0 },
      { id: 'c3', name: 'Three', services: null, ageMs: 0 },
      { id: 'c4', name: 'Four', services: null, ageMs: 0 },
    ]));
});

describe('servicesNamed', () => {
  const customers = customerSettings(refs, cache, now);
  test.each([
    [null, ['foundation_ap']],
    [['advanced_switch'], ['advanced_switch', 'foundation_ap']],
    [[], ['foundation_ap']],
  ])('MSP default %j → %j', (msp, expected) => expect(servicesNamed(msp, customers)).toEqual(expected));
});

describe('serviceState', () => {
  const customers = customerSettings(refs, cache, now);
  const stats = { licensesUsed: 7, unlicensedDevices: 3, licensesTotal: 20 };
  test.each([
    [
      'on for one, off for one, two unreadable',
      'foundation_ap',
      ['foundation_ap'],
      { on: 1, off: 1, unknown: 2, mspDefault: true },
    ],
    [
      'off for both readable',
      'advanced_ap',
      ['foundation_ap'],
      { on: 0, off: 2, unknown: 2, mspDefault: false },
    ],
    ['the MSP default unknown', 'foundation_ap', null, { mspDefault: null }],
  ] as const)('%s', (_name, service, msp, expected) =>
    expect(serviceState(service, customers, msp ? [...msp] : null, {}, stats)).toMatchObject(expected),
  );
  test('the customers it is off for, the pause, the pool', () =>
    expect(
      serviceState(
        'foundation_ap',
        customers,
        null,
        { foundation_ap: { paused: true, fetchedAt: now } },
        stats,
      ),
    ).toMatchObject({ customersOff: [{ id: 'c2', name: 'Two' }], paused: true, devices: 10, licenses: 20 }));
  test('no pool total: no licenses field', () =>
    expect(
      serviceState('foundation_ap', customers, null, {}, { licensesUsed: 1, unlicensedDevices: 1 }),
    ).not.toHaveProperty('licenses'));
});

describe('ageText', () => {
  test.each([
    [0, 'just now'],
    [59_999, 'just now'],
    [90_000, '2 min ago'],
    [3_600_000, '1.0 h ago'],
    [5_400_000, '1.5 h ago'],
  ])('%s ms → %s', (ms, expected) => expect(ageText(ms)).toBe(expected));
});

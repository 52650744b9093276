// doctor's verdicts from its answers, one line per case (the calls themselves: doctor.test.ts).
import { describe, expect, test } from 'vitest';
import {
  customersChecks,
  foundationService,
  inventoryCheck,
  mspInWideCheck,
  mspInWideUnknown,
  rateHeadersCheck,
  sameStats,
  servicesChecks,
  statsFilterCheck,
  statsOf,
  tenantStatsCheck,
} from '../../../src/commands/doctor/verdicts.js';

const ok = (body: unknown) => ({ status: 200, body });
const verdicts = (checks: Array<{ id: string; verdict: string }>) =>
  checks.map((c) => `${c.id}:${c.verdict}`);

describe('statsOf', () => {
  test.each([
    [
      'flat counts',
      ok({ total: 10, used: 4, non_subscribed_devices: 6 }),
      { total: 10, used: 4, unlicensed: 6 },
    ],
    [
      'counts under data',
      ok({ data: { used: '4', non_subscribed_devices: '6' } }),
      { total: undefined, used: 4, unlicensed: 6 },
    ],
    ['an error status', { status: 500, body: { used: 4, non_subscribed_devices: 6 } }, undefined],
    ['no unlicensed count', ok({ used: 4 }), undefined],
    ['a blank string is no number', ok({ used: ' ', non_subscribed_devices: 6 }), undefined],
    ['not an object', ok([1, 2]), undefined],
  ])('%s', (_name, answer, expected) => expect(statsOf(answer)).toEqual(expected));
});

describe('sameStats', () => {
  test.each([
    [{ used: 1, unlicensed: 2 }, { used: 1, unlicensed: 2 }, true],
    [{ used: 1, unlicensed: 2 }, { used: 1, unlicensed: 3 }, false],
    [undefined, { used: 1, unlicensed: 2 }, false],
  ])('%j vs %j → %s', (a, b, expected) => expect(sameStats(a, b)).toBe(expected));
});

describe('servicesChecks', () => {
  test.each([
    [200, undefined, ['token:ok', 'services:ok'], 'v2 (the documented path)'],
    [404, 200, ['token:ok', 'services:ok'], 'v1 (the documented v2 path answered HTTP 404)'],
    [404, 401, ['token:fail', 'services:fail'], 'v2 answered HTTP 404, v1 HTTP 401'],
    [500, 503, ['token:unknown', 'services:fail'], 'v2 answered HTTP 500, v1 HTTP 503'],
  ])('v2 %s, v1 %s → %j', (v2, v1, expected, detail) => {
    const checks = servicesChecks(v2, v1);
    expect(verdicts(checks)).toEqual(expected);
    expect(checks[1]?.detail).toBe(detail);
  });
});

describe('foundationService', () => {
  test.each([
    [{ data: { advanced_ap: {}, foundation_ap: {} } }, 'foundation_ap'],
    [{ FOUNDATION_AP: {} }, 'FOUNDATION_AP'],
    [{ foundation_switch_6200: {} }, 'foundation_switch_6200'],
    [{ advanced_ap: {} }, undefined],
    ['nonsense', undefined],
  ])('%j → %s', (body, expected) => expect(foundationService(body)).toBe(expected));
});

describe('customersChecks', () => {
  const page = (n: number, total: number) =>
    ok({ total, customers: Array.from({ length: n }, (_, i) => ({ customer_id: i })) });
  test.each([
    ['403: not an MSP token', { status: 403, body: {} }, ['msp:fail'], /not an MSP token/],
    ['another error', { status: 500, body: {} }, ['msp:fail'], /answered HTTP 500/],
    ['a full page', page(100, 250), ['msp:ok', 'page-cap:ok'], /served in full \(100\)/],
    ['a short last page', page(7, 7), ['msp:ok', 'page-cap:ok'], /served in full \(7\)/],
    ['a capped page', page(50, 250), ['msp:ok', 'page-cap:warn'], /caps pages at 50/],
  ])('%s', (_name, answer, expected, detail) => {
    const result = customersChecks(answer);
    expect(verdicts(result.checks)).toEqual(expected);
    expect(result.checks.at(-1)?.detail).toMatch(detail);
  });
  test('ids as strings, numbers kept; other records dropped', () =>
    expect(
      customersChecks(
        ok({ data: { total: '3', customers: [{ customer_id: 'a' }, { customer_id: 2 }, { x: 1 }] } }),
      ),
    ).toMatchObject({ customers: [{ id: 'a' }, { id: '2' }], total: 3 }));
});

describe('rateHeadersCheck', () => {
  const all = {
    'x-ratelimit-limit-day': '5000',
    'x-ratelimit-remaining-day': '4990',
    'x-ratelimit-limit-second': '7',
    'x-ratelimit-remaining-second': '6',
  };
  test.each([
    [all, 'ok', 'day 4990/5000 left'],
    [
      { ...all, 'x-ratelimit-limit-day': undefined },
      'warn',
      'missing: x-ratelimit-limit-day (the day-budget check before --wait is skipped)',
    ],
  ])('%j → %s', (headers, verdict, detail) =>
    expect(rateHeadersCheck(headers)).toMatchObject({ verdict, detail }),
  );
});

describe('statsFilterCheck', () => {
  const all = { used: 10, unlicensed: 90 };
  const one = { used: 1, unlicensed: 9 };
  test.each([
    ['both filter', one, one, 'ok', 'service', /both service= and license_type=/],
    ['service= only', one, all, 'ok', 'service', /^service= filters/],
    ['license_type= only', all, one, 'ok', 'license_type', /^license_type= filters/],
    ['neither', all, all, 'unknown', undefined, /cannot tell/],
    ['refused', undefined, undefined, 'unknown', undefined, /cannot tell/],
  ])('%s', (_name, byService, byType, verdict, filter, detail) => {
    const result = statsFilterCheck('foundation_ap', all, byService, byType);
    expect(result.check).toMatchObject({ verdict, detail: expect.stringMatching(detail) });
    expect(result.filter).toBe(filter);
  });
});

describe('tenantStatsCheck', () => {
  test.each([
    ['scoped', true, 'ok', /their own counts/],
    ['ignored', true, 'warn', /TenantID is ignored/],
    [undefined, true, 'unknown', /cannot tell/],
    [undefined, false, 'unknown', /was refused/],
  ] as const)('%s (both answered: %s) → %s', (verdict, both, expected, detail) =>
    expect(tenantStatsCheck(verdict, both)).toMatchObject({
      verdict: expected,
      detail: expect.stringMatching(detail),
    }),
  );
});

describe('mspInWideCheck', () => {
  test.each([
    [12, 10, true, 'ok', true, /include 2 unlicensed devices/],
    [10, 10, true, 'ok', undefined, /no difference for foundation_ap/],
    [8, 10, true, 'warn', undefined, /tenants' sum \(10\) exceeds the MSP-wide count \(8\)/],
    [12, 10, false, 'unknown', undefined, /was refused/],
  ])('wide %s, sum %s, complete %s → %s', (wide, sum, complete, verdict, learned, detail) => {
    const result = mspInWideCheck('foundation_ap', wide, sum, complete);
    expect(result.check).toMatchObject({ verdict, detail: expect.stringMatching(detail) });
    expect(result.mspInWide).toBe(learned);
  });
  test.each([
    [false, 3, 'needs stats scoped per tenant'],
    [true, 40, 'would cost one call per customer (40 > 25); MSP-wide figures stay upper bounds'],
  ])('not asked (scoped %s, %s customers)', (scoped, total, detail) =>
    expect(mspInWideUnknown(scoped, total).detail).toBe(detail),
  );
});

describe('inventoryCheck', () => {
  test.each([
    [
      'services carried',
      ok({ devices: [{ services: [] }, { tier_type: 'x' }] }),
      'ok',
      'device records carry: services, tier_type',
    ],
    [
      'other fields only',
      ok({ devices: [{ subscription_key: 'k' }] }),
      'warn',
      'device records carry: subscription_key',
    ],
    [
      'none of them',
      ok({ devices: [{ serial: 's' }] }),
      'warn',
      'device records carry: none of services, tier_type, subscription_key',
    ],
    ['no device', ok({ devices: [] }), 'unknown', 'no device in the inventory'],
    ['no devices list', ok({}), 'unknown', 'the device inventory answered HTTP 200 without a "devices" list'],
    ['an error', { status: 403, body: { devices: [] } }, 'unknown', 'the device inventory answered HTTP 403'],
  ])('%s', (_name, answer, verdict, detail) =>
    expect(inventoryCheck(answer)).toMatchObject({ verdict, detail }),
  );
});

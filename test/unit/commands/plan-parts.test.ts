// plan's pure parts, one line per case: the cost of reading the state, the groups it is read in,
// the state's fingerprint and what changed since, a saved plan's shape (and the file, for real),
// and the lines the text is made of.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { byServiceSet, DAY_RESERVE, overBudget, readCost } from '../../../src/commands/plan/cost.js';
import { driftSummary, jobLines, ruleLines, shortfallLines } from '../../../src/commands/plan/render.js';
import {
  isSavedPlan,
  PLAN_KIND,
  planState,
  readSavedPlan,
  refuseStale,
  staleCustomers,
  writeSavedPlan,
} from '../../../src/commands/plan/saved.js';
import type { PlanResult } from '../../../src/commands/plan.js';
import type { AutoLicenseCache } from '../../../src/commands/shared/autolicense.js';
import { type CliError, ExitCode, UsageError } from '../../../src/errors.js';
import type { CustomerDrift, Observed, PlannedJob } from '../../../src/policy/plan.js';
import type { ResolvedRule, Want } from '../../../src/policy/resolve.js';
import { tempDir } from '../../helpers/cli.js';

const H = 3_600_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
type W = Pick<Want, 'state' | 'auto'>;
/** A desired state: customer id → service → want (rule 0). */
const desiredOf = (
  wants: Record<string, Record<string, W>>,
  services = ['foundation_ap', 'advanced_ap'],
) => ({
  wants: new Map(
    Object.entries(wants).map(([id, w]) => [
      id,
      new Map(Object.entries(w).map(([s, want]) => [s, { ...want, rule: 0 }])),
    ]),
  ),
  customers: new Map(Object.keys(wants).map((id) => [id, { id, name: `Name ${id}` }])),
  services,
});
const present: W = { state: 'present' };
const presentAuto: W = { state: 'present', auto: true };
const absent: W = { state: 'absent', auto: false };
const cached = (ageH: number): AutoLicenseCache[string] => ({ services: [], fetchedAt: NOW - ageH * H });

describe('readCost: calls = MSP-wide + per tenant and service + auto-licensing not cached', () => {
  test.each([
    ['no auto opinion: no auto call', { a: { foundation_ap: present } }, {}, false, [0, 0, 3]],
    ['auto wanted, not cached', { a: { foundation_ap: presentAuto } }, {}, false, [1, 1, 4]],
    [
      'auto wanted, cached 1 h ago',
      { a: { foundation_ap: presentAuto } },
      { a: cached(1) },
      false,
      [1, 0, 3],
    ],
    [
      'auto wanted, cached 7 h ago (past 6 h)',
      { a: { foundation_ap: presentAuto } },
      { a: cached(7) },
      false,
      [1, 1, 4],
    ],
    ['--refresh asks again', { a: { foundation_ap: presentAuto } }, { a: cached(1) }, true, [1, 1, 4]],
    ['absent says auto off', { a: { foundation_ap: present, advanced_ap: absent } }, {}, false, [1, 1, 5]],
  ] as const)('%s', (_name, wants, cache, refresh, [needAuto, toFetch, calls]) => {
    const cost = readCost(desiredOf(wants), cache as AutoLicenseCache, NOW, refresh);
    expect([cost.needAuto.length, cost.autoToFetch.length, cost.calls]).toEqual([needAuto, toFetch, calls]);
  });
  test('two customers, three service wants, two services named', () =>
    expect(
      readCost(
        desiredOf({ a: { foundation_ap: present }, b: { foundation_ap: present, advanced_ap: present } }),
        {},
        NOW,
      ),
    ).toEqual({ needAuto: [], autoToFetch: [], mspWide: 2, perTenant: 3, calls: 5 }));
});

describe(`overBudget (keeps ${DAY_RESERVE} calls of the day)`, () => {
  test.each([
    [100, undefined, false],
    [100, 1_000, false],
    [950, 1_000, false],
    [951, 1_000, true],
    [10, 40, true],
  ])('%s calls with %s left → %s', (calls, left, expected) => expect(overBudget(calls, left)).toBe(expected));
});

describe('byServiceSet', () => {
  test.each([
    [{ a: { foundation_ap: present } }, { foundation_ap: ['a'] }],
    [
      {
        a: { foundation_ap: present },
        b: { advanced_ap: present, foundation_ap: present },
        c: { foundation_ap: absent },
      },
      { foundation_ap: ['a', 'c'], 'advanced_ap,foundation_ap': ['b'] },
    ],
  ])('%j → %j', (wants, expected) =>
    expect(
      Object.fromEntries([...byServiceSet(desiredOf(wants))].map(([k, list]) => [k, list.map((c) => c.id)])),
    ).toEqual(expected),
  );
});

const observed = (
  counts: Record<string, Record<string, [number, number]>>,
  auto: Record<string, string[] | null> = {},
): Observed => ({
  counts: new Map(
    Object.entries(counts).map(([id, c]) => [
      id,
      new Map(Object.entries(c).map(([s, [licensed, unlicensed]]) => [s, { licensed, unlicensed }])),
    ]),
  ),
  auto: new Map(Object.entries(auto)),
  available: new Map(),
});

describe('planState: per customer, what is wanted and what was read', () => {
  test.each([
    [
      'counts',
      { b: { foundation_ap: present } },
      observed({ b: { foundation_ap: [3, 1] } }),
      'foundation_ap:present foundation_ap=3/1',
    ],
    [
      'counts unknown',
      { b: { foundation_ap: present } },
      observed({}),
      'foundation_ap:present foundation_ap=?',
    ],
    [
      'auto on, sorted',
      { b: { foundation_ap: presentAuto } },
      observed({}, { b: ['z', 'a'] }),
      'foundation_ap:present+auto foundation_ap=? auto=a+z',
    ],
    [
      'auto unreadable',
      { b: { advanced_ap: absent } },
      observed({}, { b: null }),
      'advanced_ap:absent-auto advanced_ap=? auto=?',
    ],
    [
      'services sorted',
      { b: { foundation_ap: present, advanced_ap: present } },
      observed({ b: { advanced_ap: [0, 2], foundation_ap: [1, 0] } }),
      'advanced_ap:present advanced_ap=0/2 foundation_ap:present foundation_ap=1/0',
    ],
  ] as const)('%s', (_name, wants, obs, line) =>
    expect(planState(desiredOf(wants), obs).customers.b).toBe(line),
  );
  test('the fingerprint follows the state, not the order read', () => {
    const one = planState(
      desiredOf({ a: { foundation_ap: present }, b: { foundation_ap: present } }),
      observed({ a: { foundation_ap: [1, 0] } }),
    );
    const same = planState(
      desiredOf({ b: { foundation_ap: present }, a: { foundation_ap: present } }),
      observed({ a: { foundation_ap: [1, 0] } }),
    );
    const moved = planState(
      desiredOf({ a: { foundation_ap: present }, b: { foundation_ap: present } }),
      observed({ a: { foundation_ap: [1, 1] } }),
    );
    expect([same.fingerprint === one.fingerprint, moved.fingerprint === one.fingerprint]).toEqual([
      true,
      false,
    ]);
  });
});

describe('staleCustomers', () => {
  const names = new Map([['a', 'Acme']]);
  test.each([
    [{ a: 'x' }, { a: 'x' }, []],
    [{ a: 'x' }, { a: 'y' }, ['Acme (a)']],
    [{ a: 'x' }, { a: 'x', b: 'y' }, ['b (b)']],
    [{ a: 'x', b: 'y' }, {}, ['Acme (a)', 'b (b)']],
  ])('%j then %j → %j', (saved, now, expected) =>
    expect(
      staleCustomers({ fingerprint: '', customers: saved }, { fingerprint: '', customers: now }, names),
    ).toEqual(expected),
  );
});

describe('isSavedPlan', () => {
  test.each([
    [{ kind: PLAN_KIND, version: 1, state: {} }, true],
    [{ kind: PLAN_KIND, version: 2, state: {} }, false],
    [{ kind: 'other', version: 1, state: {} }, false],
    [{ kind: PLAN_KIND, version: 1 }, false],
    [[{ kind: PLAN_KIND }], false],
    [null, false],
  ])('%j → %s', (value, expected) => expect(isSavedPlan(value)).toBe(expected));
});

describe('the saved plan on disk', () => {
  const dirs: Array<{ dir: string; cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  const plan = {
    kind: PLAN_KIND,
    version: 1,
    policyFile: 'p.yaml',
    state: { fingerprint: 'f1', customers: { a: 'x' } },
    shortfall: [{ service: 'advanced_ap', needed: 10, available: 8, short: 2 }],
  } as unknown as PlanResult;
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.dir;
  };

  test('written then read back, whole, 0600', () => {
    const file = join(dir(), 'plan.json');
    writeSavedPlan(file, plan);
    expect([readSavedPlan(file), statSync(file).mode & 0o777]).toEqual([plan, 0o600]);
  });
  test('an unwritable path: exit 1 naming it', () => {
    const error = (() => {
      try {
        writeSavedPlan(join(dir(), 'missing', 'plan.json'), plan);
      } catch (e) {
        return e as CliError;
      }
    })();
    expect([error?.exitCode, error?.message]).toEqual([
      ExitCode.failure,
      expect.stringMatching(/^Cannot write the plan to '.*missing\/plan.json' \(ENOENT\)\.$/),
    ]);
  });
  test.each([
    ['missing', undefined, /^Cannot read the plan '.*' \(ENOENT\)\.$/],
    ['not JSON', 'kind: plan', /^Cannot read the plan '.*' \(not JSON\)\.$/],
    ['a policy, not a plan', '{"rules": []}', /is not a plan saved by 'msp-license plan --out'\.$/],
  ])('%s: a usage error (exit 2)', (_name, text, message) => {
    const file = join(dir(), 'x.json');
    if (text !== undefined) writeFileSync(file, text);
    expect(() => readSavedPlan(file)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(message) }),
    );
    expect(() => readSavedPlan(file)).toThrow(UsageError);
  });
  test('refuseStale: same fingerprint passes, another names the customers (exit 1)', () => {
    const now = (fingerprint: string, a: string, shortfall = plan.shortfall) => ({
      state: { fingerprint, customers: { a } },
      shortfall,
    });
    expect(refuseStale(plan, now('f1', 'x'), new Map(), 'plan.json')).toBeUndefined();
    expect(() => refuseStale(plan, now('f2', 'y'), new Map([['a', 'Acme']]), 'plan.json')).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.failure,
        code: 'stale_plan',
        message:
          'The saved plan is stale: the state it was made from has changed for 1 customer (Acme (a)). Nothing was sent.',
        hint: 'Make a new plan: msp-license plan -f p.yaml --out plan.json',
      }),
    );
  });
  test('refuseStale: the same state but fewer free licenses than the plan showed is stale too', () => {
    const short = (service: string, n: number) => ({ service, needed: 10, available: 10 - n, short: n });
    const now = (shortfall: ReturnType<typeof short>[]) => ({ state: plan.state, shortfall });
    // The shortfall the plan showed, or a smaller one: what was approved.
    expect(refuseStale(plan, now([short('advanced_ap', 2)]), new Map(), 'plan.json')).toBeUndefined();
    expect(refuseStale(plan, now([]), new Map(), 'plan.json')).toBeUndefined();
    expect(() => refuseStale(plan, now([short('advanced_ap', 3)]), new Map(), 'plan.json')).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.failure,
        code: 'stale_plan',
        message:
          'The saved plan is stale: fewer licenses are free than it showed: advanced_ap: 3 devices of 10 would stay unlicensed (7 licenses available). Nothing was sent.',
      }),
    );
    expect(() => refuseStale(plan, now([short('foundation_ap', 1)]), new Map(), 'plan.json')).toThrow(
      expect.objectContaining({ code: 'stale_plan' }),
    );
  });
});

const rule = (over: Partial<ResolvedRule>): ResolvedRule => ({
  index: 0,
  label: 'rule 1',
  services: ['foundation_ap'],
  state: 'present',
  customers: 3,
  selectors: [{ selector: 'all', matched: 3 }],
  ...over,
});

describe('ruleLines', () => {
  test.each([
    [rule({}), ['  rule 1', 'foundation_ap present', 'all → 3 customers']],
    [
      rule({ auto: true, selectors: [{ selector: 'group:Gold', matched: 1200 }], customers: 1200 }),
      ['  rule 1', 'foundation_ap present, auto on', 'group:Gold (1,200) → 1,200 customers'],
    ],
    [
      rule({
        state: 'absent',
        auto: false,
        services: ['a', 'b'],
        customers: 1,
        exceptSelectors: [{ selector: 'Acme', matched: 1 }],
      }),
      ['  rule 1', 'a, b absent, auto off', 'all but Acme (1) → 1 customer'],
    ],
  ])('%#', (r, expected) => expect(ruleLines({ rules: [r] })).toEqual([expected]));
});

const job = (action: PlannedJob['action'], devices: Record<string, number> = {}): PlannedJob => ({
  action,
  services: ['foundation_ap', 'advanced_ap'],
  customers: [{ id: 'a', name: 'A' }],
  devices,
});

describe('jobLines', () => {
  test.each([
    [
      job('assign', { foundation_ap: 1234 }),
      [
        '  1. assign',
        'foundation_ap, advanced_ap',
        '1 customer',
        'devices: foundation_ap 1,234, advanced_ap 0',
      ],
    ],
    [
      job('autolicense-enable'),
      [
        '  1. autolicense enable',
        'foundation_ap, advanced_ap',
        '1 customer',
        'devices: foundation_ap 0, advanced_ap 0',
      ],
    ],
    [
      job('autolicense-disable', { foundation_ap: 5 }),
      ['  1. autolicense disable', 'foundation_ap, advanced_ap', '1 customer', ''],
    ],
  ])('%#', (j, expected) => expect(jobLines([j])).toEqual([expected]));
});

describe('shortfallLines', () => {
  test.each([
    [
      { service: 'foundation_ap', needed: 1, available: 0, short: 1 },
      'foundation_ap: 1 device to license, 0 licenses available: 1 will stay unlicensed.',
    ],
    [
      { service: 'advanced_ap', needed: 2500, available: 1000, short: 1500 },
      'advanced_ap: 2,500 devices to license, 1,000 licenses available: 1,500 will stay unlicensed.',
    ],
  ])('%j', (s, line) => expect(shortfallLines([s])).toEqual([line]));
});

describe('driftSummary (ten shown, the rest counted)', () => {
  const drifted = (n: number): CustomerDrift[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      name: `C${i}`,
      items: [{ service: 'foundation_ap', kind: 'auto-off', rule: 0 }],
    }));
  test.each([
    [0, 0, undefined],
    [1, 1, '  C0 (c0): foundation_ap: auto-licensing off (must be on)'],
    [10, 10, '  C9 (c9): foundation_ap: auto-licensing off (must be on)'],
    [11, 11, '  … and 1 more customer (--json has them all)'],
    [25, 11, '  … and 15 more customers (--json has them all)'],
  ])('%s drifted → %s lines, the last %j', (n, lines, last) => {
    const out = driftSummary(drifted(n));
    expect([out.length, out.at(-1)]).toEqual([lines, last]);
  });
});

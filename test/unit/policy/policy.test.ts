// The policy's pure parts, one case per line where possible: parsing with lines, resolution with
// overlap and contradiction errors, and the plan from an observed state.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parsePolicy } from '../../../src/policy/parse.js';
import { driftLine, type Observed, planPolicy } from '../../../src/policy/plan.js';
import { resolvePolicy } from '../../../src/policy/resolve.js';

const SERVICES = ['foundation_ap', 'advanced_ap', 'advanced_switch_6300', 'foundation_switch_6300'];
const CUSTOMERS = [
  { id: 'g1', name: 'Gold One', group: 'Gold' },
  { id: 'g2', name: 'Gold Two', group: 'Gold' },
  { id: 's1', name: 'Acme Dental', group: 'Silver' },
  { id: 's2', name: 'Beta Labs', group: 'Silver' },
  { id: 't1', name: 'Trial One', group: 'Trial' },
];
const ISSUE_POLICY = `profile: prod
rules:
  - services: [advanced_ap, advanced_switch_6300]
    customers: [group:Gold]
    auto: true
  - services: [foundation_ap]
    customers: all
    except: [group:Gold, group:Trial, "Acme Dental"]
    auto: true
  - services: [foundation_ap, advanced_ap]
    customers: [group:Trial]
    state: absent
`;

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('parsePolicy', () => {
  it('reads the issue example with each rule line', () => {
    const p = parsePolicy(ISSUE_POLICY, 'p.yaml');
    expect(p.profile).toBe('prod');
    expect(p.rules.map((r) => [r.line, r.state, r.auto])).toEqual([
      [3, 'present', true],
      [6, 'present', true],
      [10, 'absent', undefined],
    ]);
  });
  it('reads JSON too', () =>
    expect(
      parsePolicy('{"rules":[{"services":["foundation_ap"],"customers":"all"}]}', 'p.json').rules,
    ).toHaveLength(1));
  it('bad YAML: the file and line', () =>
    expect(message(() => parsePolicy('rules:\n  - services: [a\n    customers: all\n', 'p.yaml'))).toMatch(
      /^p\.yaml:3: Flow sequence in block collection must be sufficiently indented and end with a \]\.$/,
    ));
  it('an unknown key: its line', () =>
    expect(
      message(() =>
        parsePolicy('rules:\n  - services: [a]\n    customers: all\n    sevrices: [b]\n', 'p.yaml'),
      ),
    ).toMatch(/p\.yaml:2: rules\.0 unknown key 'sevrices'/));
  it('a wrong type: the line of the value', () =>
    expect(message(() => parsePolicy('rules:\n  - services: [a]\n    customers: 3\n', 'p.yaml'))).toMatch(
      /p\.yaml:3: rules\.0\.customers/,
    ));
  it('a bad state: its line', () =>
    expect(
      message(() =>
        parsePolicy('rules:\n  - services: [a]\n    customers: all\n    state: gone\n', 'p.yaml'),
      ),
    ).toMatch(/p\.yaml:4: rules\.0\.state/));
  it('auto: true with state: absent is a contradiction', () =>
    expect(
      message(() =>
        parsePolicy(
          'rules:\n  - services: [a]\n    customers: all\n    state: absent\n    auto: true\n',
          'p.yaml',
        ),
      ),
    ).toMatch(/p\.yaml:5: .*contradicts state: absent/));
  it('duplicate keys are refused', () =>
    expect(message(() => parsePolicy('rules: []\nrules: []\n', 'p.yaml'))).toMatch(/p\.yaml:2: .*[Uu]nique/));
  it('no rules', () =>
    expect(message(() => parsePolicy('rules: []\n', 'p.yaml'))).toMatch(/at least one rule/));
});

describe('resolvePolicy', () => {
  const policy = parsePolicy(ISSUE_POLICY, 'p.yaml');
  const desired = resolvePolicy(policy, CUSTOMERS, SERVICES);
  it('covers each customer with what its rule wants', () => {
    expect([...desired.wants.keys()].sort()).toEqual(['g1', 'g2', 's2', 't1']);
    expect(Object.fromEntries(desired.wants.get('t1')!)).toEqual({
      foundation_ap: { state: 'absent', auto: false, rule: 2 },
      advanced_ap: { state: 'absent', auto: false, rule: 2 },
    });
  });
  it('lists what each selector matched, except lists too', () => {
    expect(desired.rules[0]!.selectors).toEqual([{ selector: 'group:Gold', matched: 2 }]);
    expect(desired.rules[1]!.exceptSelectors).toEqual([
      { selector: 'group:Gold', matched: 2 },
      { selector: 'group:Trial', matched: 1 },
    ]);
    expect(desired.rules[1]!.customers).toBe(1);
  });
  it('an overlap names both rules and their lines', () => {
    const p = parsePolicy(
      `${ISSUE_POLICY}  - services: [advanced_ap]\n    customers: [name:Gold*]\n`,
      'p.yaml',
    );
    expect(message(() => resolvePolicy(p, CUSTOMERS, SERVICES))).toMatch(
      /Rules overlap: rule 1 \(line 3\) and rule 4 \(line 13\) both set advanced_ap for 2 customers \("Gold One", "Gold Two"\)/,
    );
  });
  it('a contradiction names both rules and both states', () => {
    const p = parsePolicy(`${ISSUE_POLICY}  - services: [foundation_ap]\n    customers: [t1]\n`, 'p.yaml');
    expect(message(() => resolvePolicy(p, CUSTOMERS, SERVICES))).toMatch(
      /contradicts itself: rule 3 \(line 10\) wants foundation_ap absent and rule 4 \(line 13\) wants it present for 1 customer \("Trial One"\)/,
    );
  });
  it('an unknown service names its rule', () => {
    const p = parsePolicy('rules:\n  - services: [fundation_ap]\n    customers: all\n', 'p.yaml');
    expect(message(() => resolvePolicy(p, CUSTOMERS, SERVICES))).toMatch(
      /^rule 1 \(line 2\): .*fundation_ap/,
    );
  });
  it('a selector matching nobody names its rule', () => {
    const p = parsePolicy(
      'rules:\n  - services: [foundation_ap]\n    customers: [group:Platinum]\n',
      'p.yaml',
    );
    expect(message(() => resolvePolicy(p, CUSTOMERS, SERVICES))).toMatch(
      /^rule 1 \(line 2\): The selector 'group:Platinum' matches no customer/,
    );
  });
  it('both tiers of one kind for a customer: a note, no assumption', () => {
    const p = parsePolicy(
      'rules:\n  - services: [foundation_ap, advanced_ap]\n    customers: all\n',
      'p.yaml',
    );
    expect(resolvePolicy(p, CUSTOMERS, SERVICES).notes.join()).toMatch(
      /foundation_ap \+ advanced_ap: .*No public source/,
    );
  });
});

describe('planPolicy', () => {
  const desired = resolvePolicy(parsePolicy(ISSUE_POLICY, 'p.yaml'), CUSTOMERS, SERVICES);
  const counts = (rows: Record<string, Record<string, [number, number]>>) =>
    new Map(
      Object.entries(rows).map(([id, r]) => [
        id,
        new Map(Object.entries(r).map(([s, [licensed, unlicensed]]) => [s, { licensed, unlicensed }])),
      ]),
    );
  const synced: Observed = {
    counts: counts({
      g1: { advanced_ap: [5, 0], advanced_switch_6300: [1, 0] },
      g2: { advanced_ap: [3, 0], advanced_switch_6300: [0, 0] },
      s2: { foundation_ap: [4, 0] },
      t1: { foundation_ap: [0, 3], advanced_ap: [0, 3] },
    }),
    auto: new Map([
      ['g1', ['advanced_ap', 'advanced_switch_6300']],
      ['g2', ['advanced_ap', 'advanced_switch_6300']],
      ['s2', ['foundation_ap']],
      ['t1', []],
    ]),
    available: new Map([['advanced_ap', 10]]),
  };
  it('in sync: no drift, no job', () =>
    expect(planPolicy(desired, synced)).toMatchObject({ inSync: true, jobs: [], drift: [] }));
  it('devices without the license: one assign job per service set', () => {
    const o = {
      ...synced,
      counts: counts({
        ...Object.fromEntries(
          [...synced.counts!].map(([k, v]) => [
            k,
            Object.fromEntries([...v].map(([s, c]) => [s, [c.licensed, c.unlicensed]])),
          ]),
        ),
        g1: { advanced_ap: [5, 2], advanced_switch_6300: [1, 1] },
        g2: { advanced_ap: [3, 1], advanced_switch_6300: [0, 0] },
      }),
    };
    const plan = planPolicy(desired, o as Observed);
    expect(plan.jobs.map((j) => [j.action, j.services, j.customers.map((c) => c.id), j.devices])).toEqual([
      ['assign', ['advanced_ap'], ['g1', 'g2'], { advanced_ap: 3 }],
      ['assign', ['advanced_switch_6300'], ['g1'], { advanced_switch_6300: 1 }],
    ]);
  });
  it('auto-licensing off where it must be on: enable, which also assigns (no assign job besides)', () => {
    const o: Observed = {
      ...synced,
      auto: new Map([...synced.auto, ['s2', []]]),
      counts: counts({
        ...{
          g1: { advanced_ap: [5, 0], advanced_switch_6300: [1, 0] },
          g2: { advanced_ap: [3, 0], advanced_switch_6300: [0, 0] },
          t1: { foundation_ap: [0, 3], advanced_ap: [0, 3] },
        },
        s2: { foundation_ap: [1, 3] },
      }),
    };
    const plan = planPolicy(desired, o);
    expect(plan.jobs.map((j) => [j.action, j.services, j.customers.map((c) => c.id)])).toEqual([
      ['autolicense-enable', ['foundation_ap'], ['s2']],
    ]);
    expect(plan.drift[0]!.items.map((i) => i.kind)).toEqual(['auto-off', 'unlicensed']);
  });
  it('absent but held, auto on: disable first, then unassign', () => {
    const o: Observed = {
      ...synced,
      auto: new Map([...synced.auto, ['t1', ['foundation_ap']]]),
      counts: counts({
        g1: { advanced_ap: [5, 0], advanced_switch_6300: [1, 0] },
        g2: { advanced_ap: [3, 0], advanced_switch_6300: [0, 0] },
        s2: { foundation_ap: [4, 0] },
        t1: { foundation_ap: [2, 1], advanced_ap: [0, 3] },
      }),
    };
    expect(planPolicy(desired, o).jobs.map((j) => [j.action, j.services])).toEqual([
      ['autolicense-disable', ['foundation_ap']],
      ['unassign', ['foundation_ap']],
    ]);
  });
  it('licenses short per service, counting those the unassigns give back', () => {
    const o: Observed = {
      ...synced,
      available: new Map([['advanced_ap', 1]]),
      counts: counts({
        g1: { advanced_ap: [5, 4], advanced_switch_6300: [1, 0] },
        g2: { advanced_ap: [3, 0], advanced_switch_6300: [0, 0] },
        s2: { foundation_ap: [4, 0] },
        t1: { foundation_ap: [0, 3], advanced_ap: [2, 1] },
      }),
    };
    expect(planPolicy(desired, o).shortfall).toEqual([
      { service: 'advanced_ap', needed: 4, available: 3, short: 1 },
    ]);
  });
  it('counts unknown: undecided, no license job, not in sync', () => {
    const plan = planPolicy(desired, { ...synced, counts: undefined, countsUnknown: 'TenantID is ignored' });
    expect(plan.undecided).toEqual({ customers: 4, reason: 'TenantID is ignored' });
    expect(plan.inSync).toBe(false);
    expect(plan.jobs).toEqual([]);
  });
  it('one auto-licensing answer unreadable: that customer is the one undecided (not "0 customers")', () => {
    const plan = planPolicy(desired, { ...synced, auto: new Map([...synced.auto, ['g1', null]]) });
    expect(plan.undecided).toEqual({ customers: 1, reason: 'some auto-licensing answers could not be read' });
    expect(plan.inSync).toBe(false);
  });
});

describe('driftLine', () => {
  it('one line per customer, each service once with what differs', () =>
    expect(
      driftLine({
        id: 'c1',
        name: 'Acme',
        items: [
          { service: 'advanced_ap', kind: 'auto-off', rule: 0 },
          { service: 'advanced_ap', kind: 'unlicensed', devices: 6, rule: 0 },
          { service: 'foundation_ap', kind: 'licensed', devices: 1, rule: 2 },
        ],
      }),
    ).toBe(
      'drift: Acme (c1): advanced_ap: auto-licensing off (must be on), 6 devices without the license; foundation_ap: 1 device holding it (must hold none)',
    ));
});

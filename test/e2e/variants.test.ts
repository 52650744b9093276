// The main job under every sandbox variant (the behaviours of Central no public source settles:
// docs/central-contract.md). Each run must end right — `done` with the true count, or `settled`
// saying the counts are unknown — never a false done, never a timeout for a finished job. The
// license pool is far larger than the estate, so a plan that read pool counts as device counts
// shows at once.
import { afterEach, describe, expect, test } from 'vitest';
import { VARIANT_MATRIX, type Variants } from '../../src/sandbox/variants.js';
import { cleanupAll, type PerCustomer, world } from '../helpers/e2e.js';
import { mutatingCalls, sandboxState } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const POOL = 777_777;
const WAIT = ['--wait', '--interval', '1s', '--stall-after', '3s', '--timeout', '60s'];

type World = Awaited<ReturnType<typeof world>>;

async function perCustomer(w: World): Promise<PerCustomer> {
  return (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
}

/** Devices of `ids` eligible for / holding `service`, from the sandbox's own state. */
function truth(state: PerCustomer, ids: string[], service: string) {
  let eligible = 0;
  let licensed = 0;
  for (const id of ids) {
    eligible += state[id]?.[service]?.eligible ?? 0;
    licensed += state[id]?.[service]?.licensed ?? 0;
  }
  return { eligible, licensed, unlicensed: eligible - licensed };
}

/** What an ended --wait must look like: done with the true count, or settled with counts unknown. */
function expectEndedRight(parsed: any, stderr: string, changed: number, expected: 'done' | 'settled') {
  expect(parsed.accepted).toBe(true);
  expect(parsed.outcome).toBe(expected);
  if (expected === 'done') {
    expect(parsed.wait.done).toBe(changed);
  } else {
    // Settled: the job went quiet, and the result says the counts could not be known, and why.
    expect(parsed.wait.exact).toBe(false);
    expect(parsed.countsExact).toBe(false);
    expect(parsed.warnings.join(' ')).toMatch(/TenantID header is ignored/);
    expect(stderr).not.toMatch(/timed out/);
  }
}

/** Which runs can know their counts under a variant (the rest settle, saying so). */
function expectedOutcome(
  variants: Partial<Variants>,
  scope: 'include' | 'exclude' | 'all',
): 'done' | 'settled' {
  if (variants.tenantStats === 'ignored' && scope !== 'all') return 'settled';
  return 'done';
}

describe.each(VARIANT_MATRIX)('sandbox variant $name', ({ variants }) => {
  test('dry run: device counts are the true device counts, the pool is licenses', async () => {
    const w = await world({ variants, licenses: POOL, preLicensed: 0.3 });
    const [a, b] = w.ids as [string, string];
    const result = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      `${a},${b}`,
      '--dry-run',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    const t = truth(await perCustomer(w), [a, b], 'foundation_ap');
    if (variants.tenantStats === 'ignored') {
      expect(plan.countsKnown).toBe(false);
      expect(plan.plan[0].eligible).toBeUndefined();
      expect(plan.warnings.join(' ')).toMatch(/TenantID header is ignored/);
    } else {
      expect(plan.plan[0]).toMatchObject({
        eligible: t.eligible,
        licensed: t.licensed,
        toChange: t.unlicensed,
        exact: true,
        licensesAvailable: expect.any(Number),
      });
      expect(plan.plan[0].licensesAvailable).toBeGreaterThan(POOL - 1000);
    }
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });

  test('assign --include, unassign --include: each --wait ends right', async () => {
    const w = await world({ variants, licenses: POOL, preLicensed: 0.2 });
    const [a, b, c] = w.ids as [string, string, string];
    const before = truth(await perCustomer(w), [a, b], 'foundation_ap');
    const assign = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      `${a},${b}`,
      ...WAIT,
    ]);
    expect(assign.code, assign.stderr).toBe(0);
    expectEndedRight(
      JSON.parse(assign.stdout),
      assign.stderr,
      before.unlicensed,
      expectedOutcome(variants, 'include'),
    );
    const mid = truth(await perCustomer(w), [a, b], 'foundation_ap');
    expect(mid.licensed).toBe(mid.eligible);

    const held = truth(await perCustomer(w), [a, b, c], 'foundation_ap');
    const unassign = await w.cli([
      '--json',
      'unassign',
      '-s',
      'foundation_ap',
      '--include',
      `${a},${b},${c}`,
      '--yes',
      ...WAIT,
    ]);
    expect(unassign.code, unassign.stderr).toBe(0);
    expectEndedRight(
      JSON.parse(unassign.stdout),
      unassign.stderr,
      held.licensed,
      expectedOutcome(variants, 'include'),
    );
    expect(truth(await perCustomer(w), [a, b, c], 'foundation_ap').licensed).toBe(0);
  });

  test('assign --exclude and --all-customers: each --wait ends right', async () => {
    const w = await world({ variants, licenses: POOL, preLicensed: 0.2 });
    const excluded = w.ids[0] as string;
    const others = w.ids.slice(1);
    const before = truth(await perCustomer(w), others, 'foundation_switch_6300');
    const exclude = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_switch_6300',
      '--exclude',
      excluded,
      ...WAIT,
    ]);
    expect(exclude.code, exclude.stderr).toBe(0);
    expectEndedRight(
      JSON.parse(exclude.stdout),
      exclude.stderr,
      before.unlicensed,
      expectedOutcome(variants, 'exclude'),
    );
    const after = await perCustomer(w);
    expect(truth(after, others, 'foundation_switch_6300').unlicensed).toBe(0);

    const all = truth(after, w.ids, 'foundation_ap');
    const everyone = await w.cli(['--json', 'assign', '-s', 'foundation_ap', '--all-customers', ...WAIT]);
    expect(everyone.code, everyone.stderr).toBe(0);
    expectEndedRight(
      JSON.parse(everyone.stdout),
      everyone.stderr,
      all.unlicensed,
      expectedOutcome(variants, 'all'),
    );
    expect(truth(await perCustomer(w), w.ids, 'foundation_ap').unlicensed).toBe(0);
  });
});

describe('what the MSP-wide counts cannot tell alone', () => {
  test('another job on the same service: done only once the scope itself is done', async () => {
    // A slow job for customer A is still licensing when B's job is sent: the MSP-wide fall
    // reaches B's need early; the scope is counted again before "done", and the wait goes on.
    const w = await world({ jobSpeed: 10, licenses: POOL, preLicensed: 0, customers: 6, devices: 300 });
    // This estate (seed 1): the last customer has 122 access points, the first 34 — at 10 devices
    // a second each, the MSP-wide fall passes B's need while B is still half done.
    const a = w.ids[5] as string;
    const b = w.ids[0] as string;
    const before = await perCustomer(w);
    expect(truth(before, [a], 'foundation_ap').unlicensed).toBeGreaterThan(100);
    expect(truth(before, [b], 'foundation_ap').unlicensed).toBeGreaterThan(25);
    const first = await w.cli(['assign', '-s', 'foundation_ap', '--include', a]);
    expect(first.code, first.stderr).toBe(0);
    const second = await w.cli(['--json', 'assign', '-s', 'foundation_ap', '--include', b, ...WAIT]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).outcome).toBe('done');
    const t = truth(await perCustomer(w), [b], 'foundation_ap');
    expect(t.eligible).toBeGreaterThan(0);
    expect(t.unlicensed).toBe(0);
  });

  test('TenantID ignored is seen even when another service in the run has no devices', async () => {
    const w = await world({ variants: { tenantStats: 'ignored' }, licenses: POOL });
    const [a, b] = w.ids as [string, string];
    const run = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap,vgw_4g',
      '--include',
      `${a},${b}`,
      '--dry-run',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.countsKnown).toBe(false);
    expect(plan.warnings.join(' ')).toMatch(/TenantID header is ignored/);
  });

  test('a finished job whose counts cannot be known is settled at --timeout, not timed out', async () => {
    const w = await world({ variants: { tenantStats: 'ignored' }, licenses: POOL, preLicensed: 0.5 });
    const [a, b, c] = w.ids as [string, string, string];
    const run = await w.cli([
      '--json',
      'unassign',
      '-s',
      'foundation_ap',
      '--include',
      `${a},${b},${c}`,
      '--yes',
      '--wait',
      '--interval',
      '1s',
      '--timeout',
      '8s',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).outcome).toBe('settled');
    expect(truth(await perCustomer(w), [a, b, c], 'foundation_ap').licensed).toBe(0);
  });

  test('out of licenses with devices left, counts unknown, the --timeout first: stalled (exit 7)', async () => {
    // Licenses run out within a second; --stall-after (10 min by default) never comes: the
    // timeout ends the wait, and devices are left unlicensed. Before, that was "settled", exit 0.
    const w = await world({
      variants: { tenantStats: 'ignored' },
      licenses: 20,
      preLicensed: 0,
      jobSpeed: 50,
    });
    const before = truth(await perCustomer(w), w.ids, 'foundation_ap');
    expect(before.unlicensed).toBeGreaterThan(20);
    const args = ['assign', '-s', 'foundation_ap', '--include', 'name:*', '--yes'];
    const run = await w.cli(['--json', ...args, '--wait', '--interval', '1s', '--timeout', '8s']);
    expect(run.code, run.stderr).toBe(7);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr).error).toMatchObject({ code: 'stalled', exitCode: 7 });
    const after = truth(await perCustomer(w), w.ids, 'foundation_ap');
    expect(after.unlicensed).toBeGreaterThan(0);
    expect(after.unlicensed).toBeLessThan(before.unlicensed);
  });
});

describe('upper bounds are marked as such', () => {
  test('MSP-wide figures (a scope too large to count tenant by tenant): every count "≤", in the plan and in JSON', async () => {
    const w = await world({ customers: 250, devices: 2000, licenses: POOL });
    const text = await w.cli(['assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/foundation_ap\s+≤[\d,]+\s+≤[\d,]+\s+≤[\d,]+\s+[\d,]+/);
    expect(text.stderr).toMatch(/marked "≤" are upper bounds/);
    const json = await w.cli(['--json', 'assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(JSON.parse(json.stdout).plan[0]).toMatchObject({
      exact: false,
      countsExact: { licensed: false, unlicensed: false },
    });
  });
});

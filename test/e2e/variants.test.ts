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

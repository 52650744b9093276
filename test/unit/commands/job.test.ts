// The license job's run, in-process: runJob against the sandbox on 127.0.0.1 with a test IO (no
// child process), what reached the sandbox and what is on disk checked as a user would see them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type JobOptions, runJob } from '../../../src/commands/shared/job.js';
import { renderJob } from '../../../src/commands/shared/job-render.js';
import type { Clock } from '../../../src/core/clock.js';
import { StalledError, UsageError, WaitTimeoutError } from '../../../src/errors.js';
import { assignFlags } from '../../../src/flags.js';
import { optionsWith } from '../../../src/options.js';
import { inProcess, type TestRun } from '../../helpers/inprocess.js';
import { mutatingCalls, type Sandbox, sandboxState, start } from '../../helpers/sandbox.js';

const open: Array<{ sandbox: Sandbox; run: TestRun }> = [];
afterEach(async () => {
  for (const { sandbox, run } of open.splice(0)) {
    run.ctx.cleanup();
    run.cleanup();
    await sandbox.close();
  }
});

async function setup(options: Parameters<typeof start>[0] = {}, globals = {}) {
  const sandbox = await start({
    customers: 6,
    devices: 150,
    preLicensed: 0,
    rateLimit: { enforce: false },
    ...options,
  });
  const run = inProcess(sandbox, globals);
  open.push({ sandbox, run });
  return { sandbox, run, ids: sandbox.estate.customers.map((c) => c.customer_id) };
}

/**
 * A virtual clock: every sleep advances it at once (after letting pending I/O run), so the wait's
 * 15-second polls, its stall and its timeout are decided in milliseconds of real time.
 */
function virtualClock(): Clock & { slept: number[] } {
  let now = Date.UTC(2026, 11, 1);
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** assign's options as the flags give them when not typed, with these. */
const job = (given: Partial<JobOptions>) => ({ ...optionsWith(assignFlags), ...given });

describe('runJob in-process', () => {
  test('assign --include --wait: done with the true count; history sent + result; the plan and result rendered', async () => {
    const { sandbox, run, ids } = await setup();
    const [a, b] = ids as [string, string];
    const result = await runJob(
      run.ctx,
      'assign',
      job({
        services: ['foundation_ap'],
        include: [a, b],
        wait: true,
        interval: 1000,
      }),
    );
    expect(result).toMatchObject({ outcome: 'done', accepted: true, countsExact: true });
    const per = (await sandboxState(sandbox, true)).perCustomer;
    const changed = [a, b].reduce((n, id) => n + (per[id]?.foundation_ap?.licensed ?? 0), 0);
    expect(result.wait?.done).toBe(changed);
    const history = readFileSync(join(run.dir, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history.map((h) => [h.event, h.verb])).toEqual([
      ['sent', 'assign'],
      ['result', 'assign'],
    ]);
    renderJob(result, run.ctx);
    expect(run.stdout()).toMatch(/Assignment of foundation_ap accepted for 2 customers in 1 request; done:/);
  });

  test('a dry run sends nothing mutating and prints its plan on stdout', async () => {
    const { sandbox, run, ids } = await setup();
    const result = await runJob(
      run.ctx,
      'assign',
      job({
        services: ['foundation_ap'],
        exclude: [ids[0] as string],
        dryRun: true,
      }),
    );
    expect(result).toMatchObject({ outcome: 'dry-run', scope: { mode: 'exclude', customersInScope: 5 } });
    renderJob(result, run.ctx);
    expect(run.stdout()).toMatch(/Assign foundation_ap/);
    expect(await mutatingCalls(sandbox)).toEqual([]);
  });

  test('unassign without a terminal and without --yes is refused before any call', async () => {
    const { sandbox, run, ids } = await setup();
    await expect(
      runJob(run.ctx, 'unassign', job({ services: ['foundation_ap'], include: [ids[0] as string] })),
    ).rejects.toThrow(UsageError);
    expect(await mutatingCalls(sandbox)).toEqual([]);
  });

  test('the wait runs on the injected clock: a job too slow to move stalls after --stall-after of its time', async () => {
    // One device a second over a 150-device tenant: in the few real milliseconds the test takes,
    // the MSP-wide counts barely move, so the wait's verdict comes from the clock alone.
    const { run, ids } = await setup({ jobSpeed: 1, customers: 2, devices: 400 });
    const clock = virtualClock();
    run.ctx.clock = clock;
    const failure = await runJob(
      run.ctx,
      'assign',
      job({
        services: ['foundation_ap'],
        include: [ids[0] as string],
        wait: true,
        yes: true,
        stallAfter: 60_000,
      }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StalledError);
    // First look after 2 s, then every 15 s until a minute without change.
    expect(clock.slept[0]).toBe(2_000);
    expect(clock.slept.slice(1).every((ms) => ms === 15_000)).toBe(true);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
    expect(run.stderr()).toMatch(/stalled: .*no change for 1m/);
  });

  test('…and times out (exit 8) after --timeout of its time while the job still moves', async () => {
    const { run, ids } = await setup({ jobSpeed: 1, customers: 2, devices: 400 });
    const clock = virtualClock();
    run.ctx.clock = clock;
    const failure = await runJob(
      run.ctx,
      'assign',
      job({
        services: ['foundation_ap'],
        include: [ids[0] as string],
        wait: true,
        yes: true,
        timeout: 120_000,
      }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    expect((failure as WaitTimeoutError).message).toMatch(/^Still pending after 2m:/);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(120_000);
  });

  test('a 409 back-off sleeps on the injected clock: 3 s, then 6 s, then accepted', async () => {
    const { sandbox, run, ids } = await setup({ variants: { jobConflict: 2 } });
    const clock = virtualClock();
    run.ctx.clock = clock;
    const result = await runJob(
      run.ctx,
      'assign',
      job({ services: ['foundation_ap'], include: [ids[0] as string] }),
    );
    expect(result.outcome).toBe('accepted');
    expect(clock.slept).toEqual([3_000, 6_000]);
    expect((await mutatingCalls(sandbox)).map((r) => r.status)).toEqual([409, 409, 200]);
    expect(run.stderr()).toMatch(
      /HTTP 409\): probably another license job is still running; trying again in 3s/,
    );
  });
});

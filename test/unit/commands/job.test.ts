// The license job's run, in-process: runJob against the sandbox on 127.0.0.1 with a test IO (no
// child process), what reached the sandbox and what is on disk checked as a user would see them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type JobOptions, runJob } from '../../../src/commands/shared/job.js';
import { renderJob } from '../../../src/commands/shared/job-render.js';
import { UsageError } from '../../../src/errors.js';
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

  test('a 409 is waited out and the request sent again, accepted once', async () => {
    const { sandbox, run, ids } = await setup({ variants: { jobConflict: 1 } });
    const result = await runJob(
      run.ctx,
      'assign',
      job({
        services: ['foundation_ap'],
        include: [ids[0] as string],
      }),
    );
    expect(result.outcome).toBe('accepted');
    expect((await mutatingCalls(sandbox)).map((r) => r.status)).toEqual([409, 200]);
    expect(run.stderr()).toMatch(/HTTP 409/);
  });
});

// A license job refused with 409 (another job running) is retried after a wait; a run that stopped
// part-way is finished with --resume, which sends only what was not accepted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, expectTypedHistory, world } from '../helpers/e2e.js';
import { liveCli } from '../helpers/live.js';
import { clearLog, JOB_PATH, mutatingCalls, requestLog, setFaults } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const history = (dir: string): Array<Record<string, any>> =>
  readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('409 on the license job', () => {
  test('one 409: a clear notice, a wait, the same request again, accepted once', async () => {
    const w = await world({ variants: { jobConflict: 1 } });
    await clearLog(w.sandbox);
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /HTTP 409\): probably another license job is still running; trying again in 3s/,
    );
    const log = await requestLog(w.sandbox);
    const jobs = log.requests.filter((r) => r.path === JOB_PATH);
    expect(jobs.map((r) => r.status)).toEqual([409, 200]);
    expect(history(w.dir).at(-1)).toMatchObject({ event: 'result', outcome: 'accepted' });
  });
});

describe('--resume', () => {
  test('a customer too large for any request (413 on one id) is recorded as not accepted, and resumable', async () => {
    const w = await world({ maxIdsPerRequest: 0 });
    const [a] = w.ids as [string];
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', a]);
    expect(result.code).toBe(1);
    const last = history(w.dir).at(-1) as Record<string, any>;
    expect(last.requests.map((r: { status: string }) => r.status)).toEqual(['failed']);
    expect(last.unsent).toEqual([{ include: [a] }]);
    // Another gateway's or profile's run is not resumed here.
    const other = await w.cli(['--profile', 'nope', 'assign', '--resume', last.id]);
    expect(other.code).not.toBe(0);
  });

  test('after Ctrl-C between chunks, sends exactly the customers not accepted, once', async () => {
    const w = await world({ jobSpeed: 5 });
    await clearLog(w.sandbox);
    await setFaults(w.sandbox, { latencyMs: 800, match: JOB_PATH });
    const ids = w.ids.slice(0, 5);
    const run = liveCli(w.dir, [
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      ids.join(','),
      '--chunk-size',
      '1',
    ]);
    await run.waitFor(/request 1 accepted/);
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    await setFaults(w.sandbox, {});
    const stopped = history(w.dir).at(-1) as Record<string, any>;
    expect(stopped.outcome).toBe('interrupted');
    // What Central accepted (a 429 answered to a back-to-back process is retried, not accepted).
    const accepted = async () =>
      (await mutatingCalls(w.sandbox))
        .filter((r) => r.status === 200)
        .flatMap((r) => (r.body as any).include_customers);
    const sentBefore = await accepted();
    const left = ids.filter((id) => !sentBefore.includes(id));
    expect(left.length).toBeGreaterThan(0);
    expect(stopped.unsent.flatMap((u: { include: string[] }) => u.include)).toEqual(left);

    await clearLog(w.sandbox);
    const resumed = await w.cli(['--json', 'assign', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const sentNow = await accepted();
    expect(sentNow.sort()).toEqual([...left].sort());
    expect(JSON.parse(resumed.stdout)).toMatchObject({ services: ['foundation_ap'], accepted: true });
    const sent = history(w.dir)
      .filter((r) => r.event === 'sent')
      .at(-1);
    expect(sent).toMatchObject({ resumeOf: stopped.id });

    // Nothing is left: a second --resume refuses (exit 2) and sends nothing.
    await clearLog(w.sandbox);
    const again = await w.cli(['assign', '--resume', stopped.id]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`Run '${stopped.id}' was resumed already`));
    const newest = await w.cli(['assign', '--resume']);
    expect(newest.code).toBe(2);
    expect(newest.stderr).toMatch(/No assign run of this profile has requests left to send/);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
    expectTypedHistory(w.dir);
  });

  test('--resume with services or a scope is a usage error; without --services and --resume too', async () => {
    const w = await world();
    const mixed = await w.cli(['assign', '--resume', '-s', 'foundation_ap']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--resume takes its services and customers from the history/);
    const none = await w.cli(['assign', '--include', w.ids[0] as string]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--services is required/);
  });
});

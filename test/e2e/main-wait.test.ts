// End to end, assign --wait and --json: the BUILT CLI (no TTY) against the sandbox's background
// license job; outcomes checked against the sandbox's own state.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, jsonError, type PerCustomer, world } from '../helpers/e2e.js';
import { mutatingCalls, sandboxState } from '../helpers/sandbox.js';

afterEach(cleanupAll);

describe('--wait', () => {
  test('reaches done: every eligible device in scope licensed, excluded customers untouched', async () => {
    const w = await world({ jobSpeed: 200 });
    const [id1, id2] = w.ids as [string, string];
    const before = (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
    const result = await w.cli([
      '--json',
      'assign',
      '--services',
      'foundation_ap',
      '--exclude',
      `${id1},${id2}`,
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({
      services: ['foundation_ap'],
      scope: { mode: 'exclude', customersInScope: 4 },
      accepted: true,
      outcome: 'done',
    });
    expect(parsed.wait.done).toBe(parsed.wait.needed);
    expect(parsed.wait.needed).toBeGreaterThan(0);

    const after = (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
    for (const id of w.ids) {
      const ap = after[id]?.foundation_ap;
      if ([id1, id2].includes(id)) expect(after[id]).toEqual(before[id]);
      else if (ap) expect(ap.licensed).toBe(ap.eligible);
    }
    const mspId = w.sandbox.estate.mspId;
    expect(after[mspId]).toEqual(before[mspId]);
  });

  test('non-TTY progress is one timestamped line per poll on stderr', async () => {
    const w = await world({ jobSpeed: 40 });
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/accepted for 6 customers.*done: (\d+) \/ \1 devices, 100%/);
    expect(result.stderr).not.toMatch(/\u001b\[/);
    expect(result.stderr).toMatch(/\d{2}:\d{2}:\d{2}.*devices/);
  });

  test('unassign --yes --wait: the included customers end with no license, the others untouched', async () => {
    const w = await world({ preLicensed: 0.8, jobSpeed: 100 });
    const target = w.ids[0] as string;
    const before = (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
    expect(before[target]?.foundation_ap?.licensed).toBeGreaterThan(0);
    const result = await w.cli([
      'unassign',
      '-s',
      'foundation_ap',
      '--include',
      target,
      '--yes',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Removal of foundation_ap accepted for 1 customer in 1 request; done/);
    const after = (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
    expect(after[target]?.foundation_ap?.licensed).toBe(0);
    for (const id of w.ids.slice(1)) expect(after[id]).toEqual(before[id]);
  });

  test('stalls when the licenses run out → exit 7', async () => {
    const w = await world({ licenses: { foundation_ap: 10 }, preLicensed: 0 });
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(7);
    expect(result.stderr).toMatch(/no foundation_ap licenses left|out of licenses/);
    expect(result.stdout).toBe('');
    const state = await sandboxState(w.sandbox);
    expect(state.services.foundation_ap).toMatchObject({ available: 0, tenantLicensed: 10 });
  });

  test('still pending at --timeout → exit 8', async () => {
    const w = await world({ jobSpeed: 2, devices: 300, preLicensed: 0 });
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--timeout',
      '3s',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(8);
    expect(result.stderr).toMatch(/Still pending after 3s/);
  });
});

describe('--json', () => {
  test('assign --wait: services, scope, accepted and the final counts', async () => {
    const w = await world({ preLicensed: 0 });
    const result = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      `${w.ids[0]},${w.ids[1]}`,
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({
      verb: 'assign',
      services: ['foundation_ap'],
      scope: { mode: 'include', customersInScope: 2 },
      accepted: true,
      outcome: 'done',
      requests: [{ status: 'accepted', kind: 'include', customers: 2 }],
      wait: { done: expect.any(Number), needed: expect.any(Number), percent: 100 },
    });
    const state = (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
    const licensed = [w.ids[0], w.ids[1]].reduce(
      (n, id) => n + (state[id as string]?.foundation_ap?.licensed ?? 0),
      0,
    );
    expect(parsed.wait.done).toBe(licensed);
  });

  test('a failure: nothing on stdout, one JSON error object on stderr', async () => {
    const w = await world();
    const usage = await w.cli(['--json', 'assign', '-s', 'foundation_apx', '--all-customers']);
    expect(usage.code).toBe(2);
    expect(jsonError(usage)).toMatchObject({
      exitCode: 2,
      retryable: false,
      message: expect.stringMatching(/foundation_ap\b/),
    });

    const scope = await w.cli(['--json', 'assign', '-s', 'foundation_ap']);
    expect(scope.code).toBe(2);
    expect(jsonError(scope).code).toBe('missing_scope');
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });

  test('a stalled wait with --json: exit 7, one JSON error object', async () => {
    const w = await world({ licenses: { foundation_ap: 5 }, preLicensed: 0 });
    const result = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code).toBe(7);
    expect(jsonError(result)).toMatchObject({ code: 'stalled', exitCode: 7 });
  });
});

// End to end: large scopes (include lists split into chunks, halved on 413; an exclude list too
// large for a request sent as the complement include list, never split), the dry-run plan, and
// status. The BUILT CLI against the in-process sandbox; the sandbox log holds every body.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, type PerCustomer, world } from '../helpers/e2e.js';
import { JOB_PATH, mutatingCalls, requestLog, sandboxState } from '../helpers/sandbox.js';

afterEach(cleanupAll);

type Body = { services: string[]; include_customers?: string[]; exclude_customers?: string[] };

function history(dir: string): Array<Record<string, any>> {
  return readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('large scopes', () => {
  test('250 includes, 100 ids per request: halved on 413, every customer sent exactly once', async () => {
    const w = await world({ customers: 250, devices: 500, maxIdsPerRequest: 100 });
    const file = join(w.root, 'all.txt');
    writeFileSync(file, `${w.ids.join('\n')}\n`);
    const result = await w.cli(['--json', 'assign', '-s', 'foundation_ap', '--include-file', file]);
    expect(result.code, result.stderr).toBe(0);

    const calls = await mutatingCalls(w.sandbox);
    const refused = calls.filter((c) => c.status === 413);
    const accepted = calls.filter((c) => c.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const call of calls) expect((call.body as Body).exclude_customers).toBeUndefined();
    for (const call of accepted)
      expect((call.body as Body).include_customers?.length).toBeLessThanOrEqual(100);
    const sent = accepted.flatMap((c) => (c.body as Body).include_customers ?? []);
    expect(sent).toHaveLength(250);
    expect(new Set(sent)).toEqual(new Set(w.ids));

    // The result and the history list the chunks: the refused one (split) and the accepted ones.
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ accepted: true, strategy: 'include', scope: { customersInScope: 250 } });
    expect(parsed.scope.customers).toBeUndefined(); // the full list is a dry-run thing
    const records = parsed.requests as Array<{ status: string; customers: number; httpStatus?: number }>;
    expect(records.filter((r) => r.status === 'split')).toEqual(
      refused.map((c) =>
        expect.objectContaining({ httpStatus: 413, customers: (c.body as Body).include_customers?.length }),
      ),
    );
    expect(records.filter((r) => r.status === 'accepted').map((r) => r.customers)).toEqual(
      accepted.map((c) => (c.body as Body).include_customers?.length),
    );
    const [sentEvent, resultEvent] = history(w.dir);
    expect(sentEvent).toMatchObject({ event: 'sent', scope: { mode: 'include', customersInScope: 250 } });
    expect(resultEvent).toMatchObject({ event: 'result', outcome: 'accepted', requests: records });
  });

  test('an exclude list over the request limit becomes the complement include list; after --wait only the rest is licensed', async () => {
    const w = await world({ customers: 40, devices: 400, maxIdsPerRequest: 10, preLicensed: 0 });
    const excluded = w.ids.slice(0, 15);
    const others = w.ids.slice(15);
    const result = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--exclude',
      excluded.join(','),
      '--chunk-size',
      '50',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ outcome: 'done', strategy: 'complement' });

    const calls = await mutatingCalls(w.sandbox);
    // One try as an exclude list (the whole list, never split), refused; then only include lists.
    expect(calls[0]).toMatchObject({ status: 413, body: { exclude_customers: excluded } });
    const rest = calls.slice(1);
    for (const call of rest) {
      expect(call.status).toBe(200);
      expect((call.body as Body).exclude_customers).toBeUndefined();
    }
    const sent = rest.flatMap((c) => (c.body as Body).include_customers ?? []);
    expect(sent).toHaveLength(others.length);
    expect(new Set(sent)).toEqual(new Set(others));
    expect(parsed.requests[0]).toMatchObject({
      kind: 'exclude',
      status: 'split',
      httpStatus: 413,
      customers: 15,
    });

    const state = await sandboxState(w.sandbox, true);
    const per = state.perCustomer as PerCustomer;
    for (const id of excluded) expect(per[id]?.foundation_ap?.licensed ?? 0).toBe(0);
    for (const id of others) {
      const counts = per[id]?.foundation_ap;
      if (counts) expect(counts.licensed).toBe(counts.eligible);
    }
    expect(history(w.dir)[1]).toMatchObject({ strategy: 'complement', outcome: 'done' });
  });

  test('an exclude list longer than --chunk-size is planned as the complement: the dry run shows the chunks', async () => {
    const w = await world({ customers: 30, devices: 300 });
    const result = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--exclude',
      w.ids.slice(0, 12).join(','),
      '--chunk-size',
      '8',
      '--dry-run',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.strategy).toBe('complement');
    expect(parsed.requests.map((r: { kind: string; customers: number }) => [r.kind, r.customers])).toEqual([
      ['include', 8],
      ['include', 8],
      ['include', 2],
    ]);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });
});

describe('--dry-run: the plan', () => {
  test('not enough licenses: a warning, exit 0, the customers in scope listed, nothing mutating sent', async () => {
    const w = await world({ licenses: { foundation_ap: 4 }, preLicensed: 0 });
    const scope = [w.names[0] as string, w.ids[1] as string, w.ids[2] as string];
    const json = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      scope.join(','),
      '--dry-run',
    ]);
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout);
    const state = await sandboxState(w.sandbox, true);
    const per = state.perCustomer as PerCustomer;
    const eligible = w.ids.slice(0, 3).reduce((n, id) => n + (per[id]?.foundation_ap?.eligible ?? 0), 0);
    expect(plan).toMatchObject({
      dryRun: true,
      outcome: 'dry-run',
      scope: {
        mode: 'include',
        customersInScope: 3,
        customers: w.ids.slice(0, 3).map((id, i) => ({ id, name: w.names[i] })),
      },
      plan: [
        {
          service: 'foundation_ap',
          eligible,
          licensed: 0,
          toChange: eligible,
          exact: true,
          licensesAvailable: 4,
          shortfall: eligible - 4,
        },
      ],
      countsKnown: true,
    });
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `foundation_ap: ${eligible} devices need a license but only 4 licenses are available; ${eligible - 4} devices will stay unlicensed`,
        ),
      ),
    ]);

    const human = await w.cli(['assign', '-s', 'foundation_ap', '--include', scope.join(','), '--dry-run']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/scope +3 customers: /);
    expect(human.stdout).toMatch(new RegExp(`foundation_ap +${eligible} +0 +${eligible} +4`));
    expect(human.stderr).toMatch(
      /warning: foundation_ap: \d+ devices need a license but only 4 licenses are available/,
    );
    expect(human.stderr).toMatch(/Dry run: nothing was sent/);

    const log = await requestLog(w.sandbox);
    expect(log.requests.filter((r) => r.path === JOB_PATH)).toEqual([]);
    expect(log.requests.every((r) => r.method === 'GET' || r.path === '/oauth2/token')).toBe(true);
  });
});

describe('status', () => {
  test('coverage per service and per customer, the morning after; same scope flags as assign', async () => {
    const w = await world({ customers: 6, devices: 150, preLicensed: 0 });
    const done = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      `${w.names[0]},${w.ids[1]}`,
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(done.code, done.stderr).toBe(0);

    const file = join(w.root, 'scope.txt');
    writeFileSync(file, `# checked every morning\n${w.names[0]}\n${w.ids[1]}\n${w.ids[2]}\n`);
    const json = await w.cli(['--json', 'status', '-s', 'foundation_ap', '--include-file', file]);
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout);
    const per = (await sandboxState(w.sandbox, true)).perCustomer as PerCustomer;
    const counts = (id: string) => per[id]?.foundation_ap ?? { eligible: 0, licensed: 0 };
    const ids = w.ids.slice(0, 3);
    const eligible = ids.reduce((n, id) => n + counts(id).eligible, 0);
    const licensed = ids.reduce((n, id) => n + counts(id).licensed, 0);
    expect(licensed).toBe(counts(ids[0] as string).eligible + counts(ids[1] as string).eligible);
    expect(status).toMatchObject({
      scope: { mode: 'include', customersInScope: 3 },
      countsInScope: true,
      services: [{ service: 'foundation_ap', eligible, licensed, missing: eligible - licensed }],
      lastJob: { verb: 'assign', services: ['foundation_ap'], outcome: 'done' },
    });
    expect(status.customers).toEqual(
      ids.map((id, i) => ({
        id,
        name: w.names[i],
        services: [
          expect.objectContaining({
            service: 'foundation_ap',
            eligible: counts(id).eligible,
            licensed: counts(id).licensed,
            percent: i < 2 ? 100 : 0,
          }),
        ],
      })),
    );

    const human = await w.cli(['status', '-s', 'foundation_ap', '--exclude', w.ids.slice(2).join(',')]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/License coverage of 2 customers \(all but 4\)/);
    expect(human.stdout).toMatch(/foundation_ap +\d+ \/ \d+ +100%/);
    expect(human.stdout).toMatch(/2 of 2 customers with eligible devices fully licensed\./);
    expect(human.stderr).toMatch(/Last job from this machine: assign foundation_ap .* — done/);

    const unknown = await w.cli(['status', '--include', 'No Such Customer']);
    expect(unknown.code).toBe(2);
    expect(await mutatingCalls(w.sandbox)).toHaveLength(1);
  });
});

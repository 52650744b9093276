// End to end, assign/unassign: the BUILT CLI as a child process (pipes, no TTY: a script or cron)
// against the in-process sandbox. Every test asserts what the user or the server sees: exit code,
// stdout/stderr, the sandbox's request log, and the files on disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, expectNoSecret, mode, profileOf, secretsOf, type World, world } from '../helpers/e2e.js';
import { JOB_PATH, mutatingCalls, sandboxState } from '../helpers/sandbox.js';

afterEach(cleanupAll);

describe('assign: the body that reaches Central', () => {
  test('the cron line: --exclude id1,id2, no TTY, no --yes → exit 0, one POST with exclude_customers', async () => {
    const w = await world();
    const [id1, id2] = w.ids as [string, string];
    const result = await w.cli(['assign', '--services', 'foundation_ap', '--exclude', `${id1},${id2}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/accepted for 4 customers/);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: JOB_PATH, status: 200 });
    expect(calls[0]?.body).toStrictEqual({ services: ['foundation_ap'], exclude_customers: [id1, id2] });
  });

  test('--exclude also repeats and takes exact names, case-insensitively', async () => {
    const w = await world();
    const [id1, id2] = w.ids as [string, string];
    const result = await w.cli([
      'assign',
      '-s',
      'FOUNDATION-AP',
      '--exclude',
      (w.names[0] as string).toUpperCase(),
      '--exclude',
      id2,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls.map((c) => c.body)).toStrictEqual([
      { services: ['foundation_ap'], exclude_customers: [id1, id2] },
    ]);
  });

  test('--include → include_customers only', async () => {
    const w = await world();
    const [, , id3, id4] = w.ids as [string, string, string, string];
    const result = await w.cli([
      'assign',
      '--services',
      'foundation_ap,advanced_switch_6300',
      '--include',
      `${id3},${w.names[3]}`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls.map((c) => [c.method, c.body])).toStrictEqual([
      ['POST', { services: ['foundation_ap', 'advanced_switch_6300'], include_customers: [id3, id4] }],
    ]);
  });

  test('--include-file with # comments', async () => {
    const w = await world();
    const file = join(w.root, 'customers.txt');
    writeFileSync(file, `# the pilot\n${w.ids[0]}  # first\n\n${w.names[1]}\n`);
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include-file', file]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls.map((c) => c.body)).toStrictEqual([
      { services: ['foundation_ap'], include_customers: [w.ids[0], w.ids[1]] },
    ]);
  });

  test("a list-file line that is a customer's whole name with ' #' in it: refused, nothing sent", async () => {
    // 'Acme #2' is read as 'Acme' (the rest is a comment): here another customer, on the wrong
    // side of an exclude. Refused with both ids named; by id it goes through.
    const w = await world();
    const made = async (name: string) =>
      (await (
        await fetch(`${w.sandbox.url}/__sandbox/customers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        })
      ).json()) as { customer_id: string };
    await made('Acme');
    const two = await made('Acme #2');
    const file = join(w.root, 'skip.txt');
    writeFileSync(file, 'Acme #2\n');
    const args = ['assign', '-s', 'foundation_ap', '--exclude-file', file, '--yes'];
    const refused = await w.cli(args);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`'Acme #2' (${two.customer_id})`);
    expect(refused.stderr).toContain('name such a customer by its id');
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
    writeFileSync(file, `${two.customer_id}  # Acme #2\n`);
    const byId = await w.cli(args);
    expect(byId.code, byId.stderr).toBe(0);
    expect((await mutatingCalls(w.sandbox)).map((c) => c.body)).toStrictEqual([
      { services: ['foundation_ap'], exclude_customers: [two.customer_id] },
    ]);
  });

  test('--all-customers → neither include_customers nor exclude_customers', async () => {
    const w = await world();
    const result = await w.cli(['assign', '--services', 'foundation_ap', '--all-customers']);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls.map((c) => [c.method, c.body])).toStrictEqual([['POST', { services: ['foundation_ap'] }]]);
  });

  test('unassign --yes sends a DELETE with the JSON body', async () => {
    const w = await world();
    const result = await w.cli([
      'unassign',
      '--services',
      'foundation_ap',
      '--include',
      w.ids[0] as string,
      '--yes',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'DELETE', path: JOB_PATH, status: 200 });
    expect(calls[0]?.body).toStrictEqual({ services: ['foundation_ap'], include_customers: [w.ids[0]] });
  });

  test('unassign names every tenant (never the implicit scopes): the MSP’s own devices keep their licenses', async () => {
    const w = await world({ preLicensed: 1, mspDevices: 6, jobSpeed: 100_000 });
    const before = (await sandboxState(w.sandbox)).services.foundation_ap;
    const mspLicensed = before.licensed - before.tenantLicensed;
    expect(mspLicensed).toBeGreaterThan(0);

    const all = await w.cli([
      'unassign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--yes',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(all.code, all.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toStrictEqual({ services: ['foundation_ap'], include_customers: w.ids });
    const after = (await sandboxState(w.sandbox)).services.foundation_ap;
    expect(after.tenantLicensed).toBe(0);
    expect(after.licensed - after.tenantLicensed).toBe(mspLicensed);

    const some = await w.cli(['unassign', '-s', 'foundation_ap', '--exclude', w.ids[0] as string, '--yes']);
    expect(some.code, some.stderr).toBe(0);
    expect((await mutatingCalls(w.sandbox)).at(-1)?.body).toStrictEqual({
      services: ['foundation_ap'],
      include_customers: w.ids.slice(1),
    });
  });

  test('an include list larger than a request is split; a 413 halves the chunk', async () => {
    const w = await world({ customers: 12, maxIdsPerRequest: 3 });
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      w.ids.slice(0, 8).join(','),
      '--chunk-size',
      '4',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    const accepted = calls
      .filter((c) => c.status === 200)
      .map((c) => (c.body as { include_customers: string[] }).include_customers);
    expect(calls.filter((c) => c.status === 413)).toHaveLength(2);
    expect(accepted.flat().sort()).toEqual(w.ids.slice(0, 8).sort());
    expect(accepted.every((ids) => ids.length <= 3)).toBe(true);
  });

  test('an exclude list too large for one request becomes the complement include list', async () => {
    const w = await world({ customers: 12 });
    const excluded = w.ids.slice(0, 5);
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--exclude',
      excluded.join(','),
      '--chunk-size',
      '4',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls.every((c) => c.status === 200 && !('exclude_customers' in (c.body as object)))).toBe(true);
    const sent = calls.flatMap((c) => (c.body as { include_customers: string[] }).include_customers);
    expect(sent.sort()).toEqual(w.ids.slice(5).sort());
  });
});

describe('refusals: the right exit code and nothing mutating sent', () => {
  const cases: Array<[string, (w: World) => string[], number, RegExp]> = [
    ['no scope', () => ['assign', '--services', 'foundation_ap'], 2, /--all-customers/],
    [
      '--include with --exclude',
      (w) => [
        'assign',
        '-s',
        'foundation_ap',
        '--include',
        w.ids[0] as string,
        '--exclude',
        w.ids[1] as string,
      ],
      2,
      /--include and --exclude/,
    ],
    [
      'unknown service',
      () => ['assign', '--services', 'foundation_apx', '--all-customers'],
      2,
      /'foundation_apx'.*did you mean foundation_ap\b/,
    ],
    [
      'unassign without --yes and without a TTY',
      (w) => ['unassign', '--services', 'foundation_ap', '--include', w.ids[0] as string],
      2,
      /--yes/,
    ],
    [
      'unknown customer (with the nearest name)',
      (w) => [
        'assign',
        '-s',
        'foundation_ap',
        '--exclude',
        `${w.ids[0]},${(w.names[1] as string).slice(0, -1)}X`,
      ],
      2,
      /not a customer id or name \(nearest: ".*"/,
    ],
    [
      'unknown customer id',
      () => ['assign', '-s', 'foundation_ap', '--include', 'ffffffffffffffff'],
      2,
      /'ffffffffffffffff'/,
    ],
    [
      'a bad --timeout',
      (w) => [
        'assign',
        '-s',
        'foundation_ap',
        '--include',
        w.ids[0] as string,
        '--wait',
        '--timeout',
        'soon',
      ],
      2,
      /--timeout/,
    ],
  ];
  test.each(cases)('%s', async (_label, args, code, message) => {
    const w = await world();
    const result = await w.cli(args(w));
    expect(result.code, result.stderr).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });

  test('the nearest valid service names skip GreenLake services', async () => {
    const w = await world();
    const result = await w.cli(['assign', '--services', 'storage_alletra', '--all-customers']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/storage_alletra_6k/);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });
});

describe('--dry-run', () => {
  test('prints the plan and sends nothing mutating', async () => {
    const w = await world();
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--exclude',
      w.ids[0] as string,
      '--dry-run',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    expect(result.stdout).toMatch(/Assign foundation_ap/);
    expect(result.stdout).toMatch(/5 customers \(all but .*\(/);
    expect(result.stdout).toMatch(/foundation_ap\s+\d+\s+\d+\s+\d+\s+[\d,]+/);
    expect(output).toMatch(/Dry run: nothing was sent/);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
    expect(existsSync(join(w.dir, 'history.jsonl'))).toBe(false);
  });

  test('a shortfall of licenses is a warning on stderr, and still nothing is sent', async () => {
    const w = await world({ licenses: { foundation_ap: 3 }, preLicensed: 0 });
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/foundation_ap\s+\d+\s+0\s+\d+\s+3\n/);
    expect(result.stderr).toMatch(
      /warning: foundation_ap: \d+ devices need a license but only 3 licenses are available/,
    );
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });

  test('--json --dry-run is one parseable document', async () => {
    const w = await world();
    const result = await w.cli(['--json', 'assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({
      verb: 'assign',
      dryRun: true,
      services: ['foundation_ap'],
      scope: { mode: 'all', customersInScope: 6 },
      accepted: false,
      outcome: 'dry-run',
      requests: [{ status: 'not-sent' }],
    });
    expect(parsed.plan[0]).toMatchObject({ service: 'foundation_ap', eligible: expect.any(Number) });
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });
});

describe('history', () => {
  test('an accepted assign appends its entries, with no secret; a dry run appends none', async () => {
    const w = await world();
    const file = join(w.dir, 'history.jsonl');
    const dry = await w.cli(['assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(existsSync(file)).toBe(false);

    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--exclude',
      w.ids[0] as string,
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(file)).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const records = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.map((r) => r.event)).toEqual(['sent', 'result']);
    expect(new Set(records.map((r) => r.id)).size).toBe(1);
    expect(records[0]).toMatchObject({
      verb: 'assign',
      profile: 'sandbox',
      gateway: w.sandbox.url,
      services: ['foundation_ap'],
      scope: { mode: 'exclude', customersInScope: 5, listed: [w.ids[0]] },
    });
    expect(records[1]).toMatchObject({
      outcome: 'done',
      requests: [{ status: 'accepted' }],
      counts: { done: expect.any(Number) },
    });
    const profile = profileOf(w.dir);
    expectNoSecret(text, [
      ...secretsOf(w.sandbox),
      profile.accessToken as string,
      profile.refreshToken as string,
    ]);

    const again = await w.cli(['assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(again.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const listed = await w.cli(['--json', 'history']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(listed.stdout))).toContain(records[0].id);
  });
});

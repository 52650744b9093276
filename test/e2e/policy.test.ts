// Licensing as code against the sandbox, in-process (plan and apply's `run` with a test IO): a
// policy over 240 customers in 5 groups applied from scratch converges (checked per tenant and
// service in the sandbox's own state, not through the CLI); a second plan has nothing to do; each
// kind of drift (a device added, a license removed, a customer moved to another group) is
// reported exactly and fixed alone; bad policies, stale plans and dry runs send nothing; the
// selectors work in assign, unassign, status and autolicense status too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedGovernor } from '../../src/central/governor.js';
import * as apply from '../../src/commands/apply.js';
import { run as autolicenseStatusRun } from '../../src/commands/autolicense-status.js';
import * as plan from '../../src/commands/plan.js';
import { runJob } from '../../src/commands/shared/job.js';
import { renderJob } from '../../src/commands/shared/job-render.js';
import { run as statusRun } from '../../src/commands/status.js';
import { readHistoryEvents } from '../../src/config/history.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { applyFlags, assignFlags, autolicenseStatusFlags, planFlags, statusFlags } from '../../src/flags.js';
import { optionsWith } from '../../src/options.js';
import { inProcess, type TestRun } from '../helpers/inprocess.js';
import { clearLog, requestLog, type Sandbox, sandboxState, start } from '../helpers/sandbox.js';

// The sandbox enforces no rate limit here: the client may go faster than Central's 7 calls/s, so
// that 240 customers take seconds (the API cost at 7/s is what `npm run bench:policy` measures).
sharedGovernor(2000);

const GOLD = 'Campus';
const TRIAL = 'Warehouses';
const POLICY = `# the tiers of the estate
rules:
  - name: Gold
    services: [advanced_ap, advanced_switch_6300]
    customers: [group:${GOLD}]
  - name: Standard
    services: [foundation_ap]
    customers: all
    except: [group:${GOLD}, group:${TRIAL}]
    auto: true
  - name: Trial
    services: [foundation_ap, advanced_ap]
    customers: [group:${TRIAL}]
    state: absent
`;

type PerCustomer = Record<string, Record<string, { eligible: number; licensed: number }>>;

/** Every mutating API call that reached the sandbox (license jobs and auto-licensing settings). */
async function mutations(sandbox: Sandbox) {
  const log = await requestLog(sandbox);
  return log.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'DELETE') && !r.path.startsWith('/oauth2'),
  );
}

async function control(sandbox: Sandbox, action: string, body: unknown): Promise<any> {
  const res = await fetch(`${sandbox.url}/__sandbox/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** What the sandbox itself holds, per tenant, against the policy: the customers that do not match it. */
async function offPolicy(sandbox: Sandbox): Promise<string[]> {
  const state = await sandboxState(sandbox, true);
  const per = state.perCustomer as PerCustomer;
  const auto = state.autolicense.customers as Record<string, string[]>;
  const bad: string[] = [];
  for (const c of sandbox.estate.customers) {
    const counts = per[c.customer_id] ?? {};
    const holds = (s: string) => counts[s]?.licensed ?? 0;
    const full = (s: string) => holds(s) === (counts[s]?.eligible ?? 0);
    const on = auto[c.customer_id] ?? [];
    const ok =
      c.group.name === GOLD
        ? full('advanced_ap') && full('advanced_switch_6300')
        : c.group.name === TRIAL
          ? holds('foundation_ap') === 0 && holds('advanced_ap') === 0 && !on.includes('foundation_ap')
          : full('foundation_ap') && on.includes('foundation_ap');
    if (!ok) bad.push(`${c.customer_name} (${c.group.name})`);
  }
  return bad;
}

describe('licensing as code on 240 customers in 5 groups', () => {
  let sandbox: Sandbox;
  const runs: TestRun[] = [];
  let policyFile: string;
  const fresh = (globals = {}) => {
    const run = inProcess(sandbox, globals);
    runs.push(run);
    return run;
  };
  const planNow = async (options: Partial<plan.PlanOptions> = {}) => {
    const run = fresh();
    return { run, result: await plan.run(run.ctx, optionsWith(planFlags, { file: policyFile, ...options })) };
  };
  const applyNow = async (options: Partial<apply.ApplyOptions> = {}, planFile?: string) => {
    const run = fresh();
    const source = planFile === undefined ? { file: policyFile } : {};
    const result = await apply.run(
      run.ctx,
      optionsWith(applyFlags, { ...source, yes: true, wait: true, interval: 1000, ...options }),
      planFile,
    );
    return { run, result };
  };
  const byGroup = (group: string) => sandbox.estate.customers.filter((c) => c.group.name === group);

  beforeAll(async () => {
    sandbox = await start({
      customers: 240,
      devices: 4000,
      rateLimit: { enforce: false, perSecond: 100_000, perDay: 10_000_000 },
      jobSpeed: 1_000_000,
    });
    const groups = new Set(sandbox.estate.customers.map((c) => c.group.name));
    expect(groups.size).toBeGreaterThanOrEqual(4);
    const home = fresh();
    policyFile = join(home.dir, '..', 'licensing.yaml');
    writeFileSync(policyFile, POLICY);
  });
  afterAll(async () => {
    for (const run of runs) {
      run.ctx.cleanup();
      run.cleanup();
    }
    await sandbox.close();
  });

  test('plan lists what each selector matched and the jobs; --dry-run sends nothing mutating', async () => {
    expect((await offPolicy(sandbox)).length).toBeGreaterThan(100);
    const { run, result } = await planNow();
    expect(result.rules.map((r) => r.selectors)).toEqual([
      [{ selector: `group:${GOLD}`, matched: byGroup(GOLD).length }],
      [{ selector: 'all', matched: 240 }],
      [{ selector: `group:${TRIAL}`, matched: byGroup(TRIAL).length }],
    ]);
    expect(result.rules[1]!.customers).toBe(240 - byGroup(GOLD).length - byGroup(TRIAL).length);
    // Per action, the services whose customers are the same share a job (Gold tenants without a
    // 6300 switch need advanced_ap alone).
    expect([...new Set(result.jobs.map((j) => j.action))].sort()).toEqual([
      'assign',
      'autolicense-enable',
      'unassign',
    ]);
    expect(result.inSync).toBe(false);
    plan.render(result, run.ctx);
    expect(run.stdout()).toContain(`group:${GOLD} (${byGroup(GOLD).length})`);
    expect(run.stdout()).toContain(`Plan: ${result.jobs.length} jobs`);

    await clearLog(sandbox);
    const dry = await applyNow({ dryRun: true, yes: false });
    expect(dry.result.outcome).toBe('dry-run');
    expect(dry.result.jobs).toHaveLength(result.jobs.length);
    expect(await mutations(sandbox)).toEqual([]);
  });

  test('apply from scratch converges: every tenant and service as the policy says, in the sandbox', async () => {
    const { result, run } = await applyNow();
    expect(result.outcome).toBe('done');
    expect(result.jobs.every((j) => j.status === 'done' && j.historyId)).toBe(true);
    expect(await offPolicy(sandbox)).toEqual([]);
    // Each job has its own history: a `sent` and a `result` event under the job's id.
    const { events } = readHistoryEvents(run.ctx.dir);
    for (const job of result.jobs) {
      expect(events.filter((e) => e.id === job.historyId).map((e) => e.event)).toEqual(['sent', 'result']);
    }
  });

  test('a second plan shows nothing to do and --check is in sync (exit 0)', async () => {
    await clearLog(sandbox);
    const { result } = await planNow();
    expect(result.jobs).toEqual([]);
    expect(result.drift).toEqual([]);
    const check = await planNow({ check: true });
    expect(check.result.inSync).toBe(true);
    expect(plan.exitCode(check.result)).toBeUndefined();
    expect(await mutations(sandbox)).toEqual([]);
  });

  test('a device added to a Gold tenant: --check reports exactly that, apply fixes only that', async () => {
    const gold = byGroup(GOLD)[0]!;
    await control(sandbox, 'devices', { customer_id: gold.customer_id, count: 1, device_type: 'IAP' });
    const { run, result } = await planNow({ check: true });
    expect(plan.exitCode(result)).toBe(ExitCode.drift);
    expect(result.drift).toEqual([
      {
        id: gold.customer_id,
        name: gold.customer_name,
        items: [{ service: 'advanced_ap', kind: 'unlicensed', devices: 1, rule: 0 }],
      },
    ]);
    expect(
      run
        .stderr()
        .split('\n')
        .filter((line) => line.startsWith('drift:')),
    ).toEqual([
      `drift: ${gold.customer_name} (${gold.customer_id}): advanced_ap: 1 device without the license`,
    ]);
    await clearLog(sandbox);
    await applyNow();
    const sent = await mutations(sandbox);
    expect(sent.map((r) => [r.method, r.body])).toEqual([
      ['POST', { services: ['advanced_ap'], include_customers: [gold.customer_id] }],
    ]);
    expect(await offPolicy(sandbox)).toEqual([]);
  });

  test('a license removed: --check reports exactly that, apply fixes only that', async () => {
    const standard = sandbox.estate.customers.find(
      (c) =>
        c.group.name !== GOLD &&
        c.group.name !== TRIAL &&
        (sandbox.estate.counter('foundation_ap', c.customer_id).licensed ?? 0) > 1,
    )!;
    expect(
      (
        await control(sandbox, 'revoke', {
          customer_id: standard.customer_id,
          service: 'foundation_ap',
          count: 2,
        })
      ).revoked,
    ).toBe(2);
    const { result } = await planNow({ check: true });
    expect(result.drift).toEqual([
      {
        id: standard.customer_id,
        name: standard.customer_name,
        items: [{ service: 'foundation_ap', kind: 'unlicensed', devices: 2, rule: 1 }],
      },
    ]);
    await clearLog(sandbox);
    await applyNow();
    expect((await mutations(sandbox)).map((r) => [r.method, r.body])).toEqual([
      ['POST', { services: ['foundation_ap'], include_customers: [standard.customer_id] }],
    ]);
    expect(await offPolicy(sandbox)).toEqual([]);
  });

  test('a customer moved to the Trial group: --check reports exactly that, apply fixes only that', async () => {
    const moved = sandbox.estate.customers.find(
      (c) =>
        c.group.name === 'default' && sandbox.estate.counter('foundation_ap', c.customer_id).licensed > 0,
    )!;
    const held = sandbox.estate.counter('foundation_ap', moved.customer_id).licensed;
    await control(sandbox, 'customer-group', { customer_id: moved.customer_id, group: TRIAL });
    const { result } = await planNow({ check: true });
    expect(result.drift).toEqual([
      {
        id: moved.customer_id,
        name: moved.customer_name,
        items: [
          { service: 'foundation_ap', kind: 'auto-on', rule: 2 },
          { service: 'foundation_ap', kind: 'licensed', devices: held, rule: 2 },
        ],
      },
    ]);
    expect(result.rules[2]!.selectors[0]!.matched).toBe(byGroup(TRIAL).length);
    await clearLog(sandbox);
    await applyNow();
    const AUTO = '/platform/licensing/v1/msp/customer/settings/autolicense';
    expect(
      (await mutations(sandbox)).map((r) => [r.method, r.path === AUTO ? 'autolicense' : 'job', r.body]),
    ).toEqual([
      ['DELETE', 'autolicense', { services: ['foundation_ap'], include_customers: [moved.customer_id] }],
      ['DELETE', 'job', { services: ['foundation_ap'], include_customers: [moved.customer_id] }],
    ]);
    expect(await offPolicy(sandbox)).toEqual([]);
    const again = await planNow({ check: true });
    expect(again.result.inSync).toBe(true);
  });

  test('a saved plan runs while the estate is unchanged, and is refused once it has changed', async () => {
    const gold = byGroup(GOLD)[1]!;
    await control(sandbox, 'devices', { customer_id: gold.customer_id, count: 2, device_type: 'IAP' });
    const planFile = join(fresh().dir, '..', 'plan.json');
    const saved = await planNow({ out: planFile });
    expect(saved.result.savedTo).toBe(planFile);
    expect(saved.result.jobs).toHaveLength(1);

    // Changed since: one more device. Refused before anything is sent.
    await control(sandbox, 'devices', { customer_id: gold.customer_id, count: 1, device_type: 'IAP' });
    await clearLog(sandbox);
    const error = await applyNow({}, planFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('stale_plan');
    expect((error as CliError).message).toContain(gold.customer_name);
    expect(await mutations(sandbox)).toEqual([]);

    // A new plan of the same state runs.
    await planNow({ out: planFile });
    await applyNow({}, planFile);
    expect((await mutations(sandbox)).map((r) => r.body)).toEqual([
      { services: ['advanced_ap'], include_customers: [gold.customer_id] },
    ]);
    expect(await offPolicy(sandbox)).toEqual([]);
  });

  test('contradictory and overlapping rules are refused naming both rules and their lines', async () => {
    const bad = join(fresh().dir, '..', 'bad.yaml');
    writeFileSync(
      bad,
      `${POLICY}  - name: Gold too
    services: [advanced_ap]
    customers: [group:${GOLD}]
    state: absent
`,
    );
    await clearLog(sandbox);
    const error = await plan.run(fresh().ctx, optionsWith(planFlags, { file: bad })).catch((e: unknown) => e);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
    expect((error as CliError).message).toMatch(
      /contradicts itself: rule 1 "Gold" \(line 3\) wants advanced_ap present and rule 4 "Gold too" \(line 15\) wants it absent/,
    );
    expect(await mutations(sandbox)).toEqual([]);
  });

  test('bad YAML is refused with its line, before any API call', async () => {
    const bad = join(fresh().dir, '..', 'broken.yaml');
    writeFileSync(bad, 'rules:\n  - services: [foundation_ap\n    customers: all\n');
    await clearLog(sandbox);
    const error = await plan.run(fresh().ctx, optionsWith(planFlags, { file: bad })).catch((e: unknown) => e);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
    expect((error as CliError).message).toMatch(/broken\.yaml:\d+: /);
    expect((await requestLog(sandbox)).total).toBe(0);
  });
});

describe('when the gateway ignores TenantID (tenant-stats=ignored)', () => {
  let sandbox: Sandbox;
  let run: TestRun;
  let file: string;
  beforeAll(async () => {
    sandbox = await start({
      customers: 30,
      devices: 400,
      rateLimit: { enforce: false, perSecond: 100_000, perDay: 10_000_000 },
      variants: { tenantStats: 'ignored' },
    });
    run = inProcess(sandbox);
    file = join(run.dir, '..', 'licensing.yaml');
    writeFileSync(file, POLICY);
  });
  afterAll(async () => {
    run.ctx.cleanup();
    run.cleanup();
    await sandbox.close();
  });

  test('plan says the per-tenant state is unknown and plans no license job; --check and apply refuse', async () => {
    const result = await plan.run(run.ctx, optionsWith(planFlags, { file }));
    expect(result.undecided?.reason).toMatch(/TenantID header is ignored/);
    expect(result.jobs.every((j) => j.action.startsWith('autolicense'))).toBe(true);
    plan.render(result, run.ctx);
    expect(run.stdout()).toContain('nothing is guessed');

    const check = await plan
      .run(inProcess(sandbox).ctx, optionsWith(planFlags, { file, check: true }))
      .catch((e: unknown) => e);
    expect((check as CliError).code).toBe('state_unknown');
    expect((check as CliError).exitCode).toBe(ExitCode.failure);

    await clearLog(sandbox);
    const refused = await apply
      .run(inProcess(sandbox).ctx, optionsWith(applyFlags, { file, yes: true }))
      .catch((e: unknown) => e);
    expect((refused as CliError).code).toBe('state_unknown');
    expect(await mutations(sandbox)).toEqual([]);
  });
});

describe('selectors in the other scopes (assign, status, autolicense status)', () => {
  let sandbox: Sandbox;
  const runs: TestRun[] = [];
  const fresh = () => {
    const run = inProcess(sandbox);
    runs.push(run);
    return run;
  };
  beforeAll(async () => {
    sandbox = await start({
      customers: 40,
      devices: 500,
      rateLimit: { enforce: false, perSecond: 100_000, perDay: 10_000_000 },
    });
  });
  afterAll(async () => {
    for (const run of runs) {
      run.ctx.cleanup();
      run.cleanup();
    }
    await sandbox.close();
  });
  const ids = (group: string) =>
    sandbox.estate.customers.filter((c) => c.group.name === group).map((c) => c.customer_id);

  test('assign --include group:NAME --dry-run: the group, and what the selector matched in the plan', async () => {
    const run = fresh();
    const result = await runJob(
      run.ctx,
      'assign',
      optionsWith(assignFlags, {
        services: ['foundation_ap'],
        include: [`group:${GOLD}`],
        dryRun: true,
      }),
    );
    expect(result.scope.customers?.map((c) => c.id).sort()).toEqual(ids(GOLD).sort());
    expect(result.scope.selectors).toEqual([{ selector: `group:${GOLD}`, matched: ids(GOLD).length }]);
    renderJob(result, run.ctx);
    expect(run.stdout()).toContain(`group:${GOLD} matched ${ids(GOLD).length} customers`);
    expect(await mutations(sandbox)).toEqual([]);
  });

  test('a selector is matched against the customers list as it is now, not the cached one', async () => {
    const run = fresh();
    const mover = ids(TRIAL)[0] as string;
    // The list is cached by a first run (an id: no selector, so the cache is used as before).
    await runJob(
      run.ctx,
      'assign',
      optionsWith(assignFlags, { services: ['foundation_ap'], include: [mover], dryRun: true }),
    );
    await control(sandbox, 'customer-group', { customer_id: mover, group: GOLD });
    try {
      const result = await runJob(
        run.ctx,
        'assign',
        optionsWith(assignFlags, { services: ['foundation_ap'], include: [`group:${GOLD}`], dryRun: true }),
      );
      expect(result.scope.customers?.map((c) => c.id)).toContain(mover);
      expect(result.scope.customersInScope).toBe(ids(GOLD).length);
    } finally {
      await control(sandbox, 'customer-group', { customer_id: mover, group: TRIAL });
    }
  });

  test('unassign --exclude with a name glob and a group in one comma list', async () => {
    const run = fresh();
    const first = sandbox.estate.customers[0]!;
    const glob = `name:${first.customer_name.slice(0, 6)}*`;
    const result = await runJob(
      run.ctx,
      'unassign',
      optionsWith(assignFlags, {
        services: ['foundation_ap'],
        exclude: [`${glob},group:${TRIAL}`],
        dryRun: true,
      }),
    );
    const out = new Set([
      ...sandbox.estate.customers
        .filter((c) =>
          c.customer_name.toLowerCase().startsWith(first.customer_name.slice(0, 6).toLowerCase()),
        )
        .map((c) => c.customer_id),
      ...ids(TRIAL),
    ]);
    expect(result.scope.customersInScope).toBe(40 - out.size);
  });

  test('status and autolicense status take selectors; one matching nobody is exit 2', async () => {
    const status = await statusRun(fresh().ctx, optionsWith(statusFlags, { include: [`group:${TRIAL}`] }));
    expect(status.scope.customersInScope).toBe(ids(TRIAL).length);
    const auto = await autolicenseStatusRun(
      fresh().ctx,
      optionsWith(autolicenseStatusFlags, {
        include: [`group:${GOLD}`],
        services: ['foundation_ap'],
      }),
    );
    expect(auto.scope.customersInScope).toBe(ids(GOLD).length);
    const error = await statusRun(
      fresh().ctx,
      optionsWith(statusFlags, { include: ['group:Platinum'] }),
    ).catch((e: unknown) => e);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
    expect((error as CliError).message).toContain("The selector 'group:Platinum' matches no customer");
  });
});

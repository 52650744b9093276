// Tenant auto-licensing end to end against the sandbox: enable/disable with the scope guard,
// plan, confirmation and history of `assign`; devices and tenants that appear later; the pause
// when licenses run short. `autolicense status` and its cost, under each answer-shape variant:
// test/unit/commands/autolicense-status.test.ts (in-process).
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, expectTypedHistory, world } from '../helpers/e2e.js';
import { plain, runInPty } from '../helpers/pty.js';
import { clearLog, requestLog, sandboxState } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const SETTINGS = '/platform/licensing/v1/msp/customer/settings/autolicense';
type World = Awaited<ReturnType<typeof world>>;

async function control(w: World, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${w.sandbox.url}/__sandbox/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** A new access point appears in a customer's inventory; its licenses, as the sandbox gave them. */
async function newAp(w: World, customerId: string): Promise<string[]> {
  const { devices } = await control(w, 'devices', { customer_id: customerId, count: 1, device_type: 'IAP' });
  return devices[0].services;
}

async function mutating(w: World) {
  const log = await requestLog(w.sandbox);
  return log.requests.filter((r) => r.path === SETTINGS && (r.method === 'POST' || r.method === 'DELETE'));
}

const history = async (w: World) => JSON.parse((await w.cli(['--json', 'history'])).stdout).entries as any[];

describe('autolicense enable / disable', () => {
  test('enable with --exclude: a device added later to an in-scope tenant is licensed, to the excluded one not', async () => {
    const w = await world({ preLicensed: 0 });
    const [excluded, inScope] = w.ids as [string, string];
    const result = await w.cli([
      '--json',
      'autolicense',
      'enable',
      '-s',
      'foundation_ap',
      '--exclude',
      excluded,
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({
      action: 'autolicense-enable',
      outcome: 'done',
      scope: { customersInScope: 5 },
    });
    // It assigned now, to the tenants in scope only.
    const per = (await sandboxState(w.sandbox, true)).perCustomer;
    expect(per[inScope].foundation_ap.licensed).toBe(per[inScope].foundation_ap.eligible);
    expect(per[excluded].foundation_ap?.licensed ?? 0).toBe(0);
    // And later.
    expect(await newAp(w, inScope)).toEqual(['foundation_ap']);
    expect(await newAp(w, excluded)).toEqual([]);
    const sent = (await mutating(w))[0];
    expect(sent).toMatchObject({
      method: 'POST',
      body: { services: ['foundation_ap'], exclude_customers: [excluded] },
    });
    expect((await history(w)).at(-1)).toMatchObject({ verb: 'autolicense-enable', outcome: 'done' });
  });

  test('enable --all-customers: the plan says future tenants inherit it; a tenant created afterwards does', async () => {
    const w = await world({ preLicensed: 0 });
    const dry = await w.cli(['autolicense', 'enable', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Enable auto-licensing of foundation_ap/);
    expect(dry.stderr).toMatch(/every tenant created from now on \(new tenants inherit the MSP setting\)/);
    expect(await mutating(w)).toEqual([]);

    const real = await w.cli(['autolicense', 'enable', '-s', 'foundation_ap', '--all-customers']);
    expect(real.code, real.stderr).toBe(0);
    expect((await mutating(w))[0]?.body).toEqual({ services: ['foundation_ap'] });
    const tenant = await control(w, 'customers', { name: 'Newco Clinics' });
    expect((await sandboxState(w.sandbox)).autolicense.customers[tenant.customer_id]).toEqual([
      'foundation_ap',
    ]);
    expect(await newAp(w, tenant.customer_id)).toEqual(['foundation_ap']);
  });

  test('disable: needs --yes without a terminal; new devices stay unlicensed, current ones keep theirs', async () => {
    const w = await world({ preLicensed: 0, jobSpeed: 1e6 });
    const [a] = w.ids as [string];
    expect(
      (
        await w.cli([
          'autolicense',
          'enable',
          '-s',
          'foundation_ap',
          '--include',
          a,
          '--wait',
          '--interval',
          '1s',
        ])
      ).code,
    ).toBe(0);
    const held = (await sandboxState(w.sandbox, true)).perCustomer[a].foundation_ap.licensed;
    expect(held).toBeGreaterThan(0);
    await clearLog(w.sandbox);

    const refused = await w.cli(['autolicense', 'disable', '-s', 'foundation_ap', '--include', a]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/without a terminal it needs --yes/);
    expect(await mutating(w)).toEqual([]);
    const noWait = await w.cli([
      'autolicense',
      'disable',
      '-s',
      'foundation_ap',
      '--include',
      a,
      '--yes',
      '--wait',
    ]);
    expect(noWait.code).toBe(2);

    const disabled = await w.cli(['autolicense', 'disable', '-s', 'foundation_ap', '--include', a, '--yes']);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toMatch(/current licenses stay as they are/);
    expect((await mutating(w)).map((r) => r.method)).toEqual(['DELETE']);
    expect(await newAp(w, a)).toEqual([]);
    expect((await sandboxState(w.sandbox, true)).perCustomer[a].foundation_ap.licensed).toBe(held + 0);
    expect((await history(w)).map((e) => e.verb).slice(-2)).toEqual([
      'autolicense-enable',
      'autolicense-disable',
    ]);
    expectTypedHistory(w.dir);
  });

  test('paused when licenses run short: the plan warns first; nothing is assigned, new devices neither', async () => {
    const w = await world({ preLicensed: 0, licenses: { foundation_ap: 5 } });
    const [a] = w.ids as [string];
    const dry = await w.cli(['autolicense', 'enable', '-s', 'foundation_ap', '--include', a, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/fewer licenses than devices.*Central pauses auto-licensing/);
    const real = await w.cli([
      'autolicense',
      'enable',
      '-s',
      'foundation_ap',
      '--include',
      a,
      '--wait',
      '--interval',
      '1s',
      '--stall-after',
      '2s',
    ]);
    expect(real.code).toBe(7);
    // Central said so before sending: the wait ends at once, and the warning was printed first.
    expect(real.stderr).toMatch(/warning: foundation_ap: fewer licenses than devices/);
    expect(real.stderr).toMatch(/Auto-licensing of foundation_ap is paused/);
    expect(await newAp(w, a)).toEqual([]);
    expect((await history(w)).at(-1)).toMatchObject({ verb: 'autolicense-enable', outcome: 'stalled' });
  });

  test('the scope guard, --dry-run and a declined prompt send nothing', async () => {
    const w = await world();
    const guard = await w.cli(['autolicense', 'enable', '-s', 'foundation_ap']);
    expect(guard.code).toBe(2);
    expect(guard.stderr).toMatch(/No scope/);
    const declined = await runInPty(
      w.dir,
      ['autolicense', 'enable', '-s', 'foundation_ap', '--all-customers'],
      {
        input: ['n\r'],
      },
    );
    expect(declined.code).toBe(3);
    expect(plain(declined.screen)).toMatch(/Enable auto-licensing now\? \[y\/N\]/);
    expect(await mutating(w)).toEqual([]);
  });
});

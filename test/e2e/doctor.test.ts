// doctor against every sandbox variant (its verdict names the variant, and later runs use what
// it learned), and the record → replay round trip with nothing identifying left in the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';
import { VARIANT_MATRIX, type Variants } from '../../src/sandbox/variants.js';
import { loginToSandbox, runCli } from '../helpers/cli.js';
import { cleanupAll, scratch, world } from '../helpers/e2e.js';
import { clearLog, requestLog } from '../helpers/sandbox.js';

afterEach(cleanupAll);

type Check = { id: string; verdict: string; detail: string };
const check = (result: { checks: Check[] }, id: string) => result.checks.find((c) => c.id === id) as Check;

/** What doctor must say under each variant. */
function expectVerdicts(result: any, variants: Partial<Variants>) {
  expect(check(result, 'gateway').verdict).toBe('ok');
  expect(check(result, 'token').verdict).toBe('ok');
  expect(check(result, 'msp').verdict).toBe('ok');
  expect(check(result, 'stats-shape').verdict).toBe('ok');
  expect(check(result, 'rate-headers').verdict).toBe('ok');
  expect(check(result, 'inventory').detail).toMatch(/services/);
  const v2 = variants.servicesV2 ?? 404;
  expect(check(result, 'services').detail).toBe(
    v2 === 'ok' ? 'v2 (the documented path)' : `v1 (the documented v2 path answered HTTP ${v2})`,
  );
  const filter = variants.statsFilter ?? 'service';
  expect(result.learned.statsFilter).toBe(filter);
  expect(check(result, 'stats-filter').detail).toMatch(
    filter === 'service' ? /^service= filters/ : /^license_type= filters/,
  );
  if (variants.tenantStats === 'ignored') {
    expect(check(result, 'tenant-stats')).toMatchObject({
      verdict: 'warn',
      detail: expect.stringMatching(/TenantID is ignored/),
    });
    expect(result.learned.tenantStats).toBe('ignored');
    expect(check(result, 'msp-in-wide').verdict).toBe('unknown');
  } else {
    expect(check(result, 'tenant-stats').verdict).toBe('ok');
    expect(result.learned.tenantStats).toBe('scoped');
    expect(result.learned.mspInWide).toBe(variants.mspInWide === true);
    expect(check(result, 'msp-in-wide').detail).toMatch(
      variants.mspInWide ? /include \d+ unlicensed devices that are no tenant's/ : /tenants' only/,
    );
  }
}

describe.each(VARIANT_MATRIX)('doctor under $name', ({ variants }) => {
  test('verdicts name the variant; learned facts are kept; no token refresh spent', async () => {
    const w = await world({ variants, mspDevices: 7, preLicensed: 0 });
    await clearLog(w.sandbox);
    const result = await w.cli(['--json', 'doctor', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expectVerdicts(parsed, variants);
    const log = await requestLog(w.sandbox);
    // Read-only: no license job, and the v2 path's refusal (even a 401) never costs a refresh.
    expect(log.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(parsed.apiCalls).toBe(log.total);
    const facts = JSON.parse(readFileSync(join(w.dir, 'cache', 'sandbox', 'facts.json'), 'utf8'));
    expect(facts.data).toMatchObject({
      statsFilter: parsed.learned.statsFilter,
      source: { statsFilter: 'doctor' },
    });
  });
});

describe('later runs use what doctor learned', () => {
  test('TenantID ignored: a partial scope spends no per-customer calls and says the counts are unknown', async () => {
    const w = await world({ variants: { tenantStats: 'ignored' } });
    expect((await w.cli(['doctor', '--yes'])).code).toBe(0);
    await clearLog(w.sandbox);
    const run = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      w.ids[0] as string,
      '--dry-run',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.countsKnown).toBe(false);
    const log = await requestLog(w.sandbox);
    expect(log.requests.filter((r) => r.path.endsWith('/stats') && r.tenant)).toEqual([]);
  });

  test('stats-filter=license_type: later calls send only license_type=', async () => {
    const w = await world({ variants: { statsFilter: 'license_type' } });
    expect((await w.cli(['doctor', '--yes'])).code).toBe(0);
    await clearLog(w.sandbox);
    const run = await w.cli(['status', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(run.code, run.stderr).toBe(0);
    const stats = (await requestLog(w.sandbox)).requests.filter((r) => r.path.endsWith('/stats'));
    expect(stats.length).toBeGreaterThan(0);
    for (const r of stats) expect(Object.keys(r.query)).toEqual(['license_type']);
  });
});

describe('doctor --record and sandbox --replay', () => {
  test('nothing identifying survives the recording; a replay answers doctor alike', async () => {
    const w = await world({ customers: 6, devices: 120, mspDevices: 3, preLicensed: 0.5 });
    const file = join(w.root, 'answers.json');
    const recorded = await w.cli(['--json', 'doctor', '--yes', '--record', file]);
    expect(recorded.code, recorded.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    const { estate, credentials } = w.sandbox;
    const identifying = [
      estate.mspId,
      ...estate.customers.flatMap((c) => [c.customer_id, c.customer_name]),
      ...estate.devices.flatMap((d) => [d.serial, d.macaddr]),
      credentials.accessToken,
      credentials.refreshToken,
      credentials.clientId,
      credentials.clientSecret,
    ];
    for (const value of identifying) expect(text).not.toContain(value);
    const parsed = JSON.parse(text);
    expect(parsed.exchanges.length).toBe(JSON.parse(recorded.stdout).apiCalls);
    expect(
      parsed.exchanges.find((e: any) => e.path.endsWith('/customers')).body.customers[0].customer_id,
    ).toMatch(/^id-\d+$/);
    expect(text).toMatch(/"serial": "SERIAL\d{6}"/);

    const replay = await startSandbox({ port: 0, replay: parsed });
    try {
      const { dir } = scratch();
      await loginToSandbox(dir, replay);
      const again = await runCli(dir, ['--json', 'doctor', '--yes']);
      expect(again.code, again.stderr).toBe(0);
      const a = JSON.parse(recorded.stdout).checks.map((c: Check) => [c.id, c.verdict]);
      const b = JSON.parse(again.stdout).checks.map((c: Check) => [c.id, c.verdict]);
      expect(b).toEqual(a);
    } finally {
      await replay.close();
    }
  });

  test('sandbox --variant with a bad switch is a usage error naming it', async () => {
    const { dir } = scratch();
    const result = await runCli(dir, ['sandbox', '--variant', 'tenant-stats=maybe']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--variant: tenant-stats=maybe: expected scoped or ignored/);
  });
});

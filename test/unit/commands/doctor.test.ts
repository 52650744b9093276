// doctor in-process against every sandbox variant (argv through the commander tree, no process):
// its verdicts name the variant, what it learns is kept and used by later runs, error answers
// teach nothing. The recording round trip through `sandbox --replay` stays in test/e2e.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as doctor from '../../../src/commands/doctor.js';
import { startSandbox } from '../../../src/sandbox/server.js';
import { VARIANT_MATRIX, type Variants } from '../../../src/sandbox/variants.js';
import { callCommand, closeWorlds, inWorld, loggedIn } from '../../helpers/inprocess.js';
import { clearLog, requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

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
    // Only a difference is proof: equal counts store nothing (MSP-wide figures stay upper bounds).
    expect(result.learned.mspInWide).toBe(variants.mspInWide === true ? true : undefined);
    expect(check(result, 'msp-in-wide').detail).toMatch(
      variants.mspInWide
        ? /include \d+ unlicensed devices that are no tenant's/
        : /no difference for foundation_ap/,
    );
  }
}

describe.each(VARIANT_MATRIX)('doctor under $name', ({ variants }) => {
  test('verdicts name the variant; learned facts are kept; no token refresh spent', async () => {
    const w = await inWorld({ variants, mspDevices: 7, preLicensed: 0 }, { login: 'command' });
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
    const w = await inWorld({ variants: { tenantStats: 'ignored' } });
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
});

describe('doctor --record', () => {
  test('nothing identifying survives the recording; its exchanges are the calls made', async () => {
    const w = await inWorld({ customers: 6, devices: 120, mspDevices: 3, preLicensed: 0.5 });
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
  });

  test('error answers teach nothing: a refused filter or tenant call stores no fact', async () => {
    const w = await inWorld({ customers: 6, devices: 120 });
    const file = join(w.root, 'answers.json');
    expect((await w.cli(['doctor', '--yes', '--record', file])).code).toBe(0);
    const recording = JSON.parse(readFileSync(file, 'utf8'));
    for (const e of recording.exchanges) {
      if (!e.path.endsWith('/stats')) continue;
      if (e.tenant) {
        e.status = 403;
        e.body = { message: 'Permission denied' };
      } else if (e.query.service) {
        e.status = 400;
        e.body = { description: 'Invalid service', error_code: '0001' };
      }
    }
    const replay = await startSandbox({ port: 0, replay: recording });
    const other = loggedIn(replay);
    try {
      const result = await callCommand(other.dir, doctor, { yes: true }, { globals: { json: true } });
      expect(result.code, result.stderr).toBe(0);
      const parsed = JSON.parse(result.stdout);
      // service= refused, license_type= ignored (the default variant), tenants refused: nothing learned.
      expect(parsed.learned.statsFilter).toBe(undefined);
      expect(parsed.learned.tenantStats).toBeUndefined();
      expect(parsed.learned.mspInWide).toBeUndefined();
      expect(check(parsed, 'tenant-stats').verdict).toBe('unknown');
    } finally {
      other.cleanup();
      await replay.close();
    }
  });

  test('--record without a file name is a usage error before any call', async () => {
    const w = await inWorld();
    await clearLog(w.sandbox);
    const result = await w.cmd(doctor, { yes: true, record: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--record needs a file name/);
  });
});

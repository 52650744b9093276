// The doctor --record → sandbox --replay round trip with nothing identifying left in the file,
// and `sandbox --variant` refusing a bad switch. doctor under every variant, and later runs using
// what it learned, are tested in-process: test/unit/commands/doctor.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';
import { loginToSandbox, runCli } from '../helpers/cli.js';
import { cleanupAll, scratch, world } from '../helpers/e2e.js';

afterEach(cleanupAll);

type Check = { id: string; verdict: string; detail: string };

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

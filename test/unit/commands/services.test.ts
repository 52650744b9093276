// services in-process: argv through the real commander tree, run and render without a process,
// against the sandbox on 127.0.0.1 (v2/v1 fallback, the remembered path, both answer shapes).
import { afterEach, describe, expect, test } from 'vitest';
import { statusLines, TOKEN_PATH, SERVICES_V1 as V1, SERVICES_V2 as V2 } from '../../helpers/e2e.js';
import { closeWorlds, inWorld } from '../../helpers/inprocess.js';
import { clearLog, requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

describe('services', () => {
  test('v2 404 falls back to v1; the next --refresh goes straight to the remembered path', async () => {
    const w = await inWorld({}, { login: 'command' });
    // login refreshed (to verify the client secret), then fetched the list: v2 (404) then v1.
    const first = statusLines((await requestLog(w.sandbox)).requests);
    expect(first).toEqual([`${TOKEN_PATH} 200`, `GET ${V2} 404`, `GET ${V1} 200`]);
    await clearLog(w.sandbox);
    const result = await w.cli(['services', '--refresh']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^foundation_ap\s/m);
    const second = statusLines((await requestLog(w.sandbox)).requests);
    expect(second).toEqual([`GET ${V1} 200`]);
  });

  test('a gateway that serves v2 is asked v2 only', async () => {
    const w = await inWorld({ servicesV2: true }, { login: 'command' });
    const log = statusLines((await requestLog(w.sandbox)).requests);
    expect(log).toEqual([`${TOKEN_PATH} 200`, `GET ${V2} 200`]);
  });

  test.each([
    ['wrapped {"data": {...}}', true],
    ['bare {...}', false],
  ])('--json parses the %s shape; GreenLake names only with --all', async (_label, servicesWrapped) => {
    const w = await inWorld({ servicesWrapped }, { login: 'command' });
    const result = await w.cli(['--json', 'services', '--refresh']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    const names: string[] = parsed.services.map((s: { name: string }) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['foundation_ap', 'advanced_switch_6300', 'foundation_70xx']),
    );
    expect(names).not.toContain('data');
    for (const hidden of ['storage_alletra_6k', 'k8s_ezmeral', 'zerto_dr', 'hciaas_baas', 'proliant_compute'])
      expect(names).not.toContain(hidden);

    const all = await w.cli(['--json', 'services', '--all']);
    expect(all.code, all.stderr).toBe(0);
    const allNames: string[] = JSON.parse(all.stdout).services.map((s: { name: string }) => s.name);
    expect(allNames).toEqual(expect.arrayContaining(['storage_alletra_6k', 'k8s_ezmeral', 'foundation_ap']));

    const text = await w.cli(['services']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^foundation_ap\s/m);
    expect(text.stdout).not.toMatch(/storage_alletra_6k/);
  });

  test('-q prints the list (an answer) and nothing on stderr', async () => {
    const w = await inWorld();
    const quiet = await w.cli(['-q', 'services']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/^SERVICE +CATEGORY +DEVICE TYPE/);
    expect(quiet.stderr).toBe('');
  });
});

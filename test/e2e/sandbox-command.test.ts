// `msp-license sandbox` as a user starts it: one JSON line (or a summary without secrets), a
// ready profile, and a clean stop on a signal.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, baseEnv, runCli, tempDir } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function startCli(configDir: string, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: baseEnv(configDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const firstLine = new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  );
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, output: () => stdout };
}

describe('msp-license sandbox', () => {
  it('prints one JSON line, writes a ready profile, and stops on SIGTERM with exit 0', async () => {
    const home = tempDir();
    cleanups.push(home.cleanup);
    const config = join(home.dir, 'config');
    const run = startCli(config, [
      'sandbox',
      '--json',
      '--write-profile',
      '--customers',
      '3',
      '--devices',
      '12',
    ]);
    const info = JSON.parse(await run.firstLine);
    expect(info).toMatchObject({
      customers: 3,
      profile: 'sandbox',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });

    const stored = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8'));
    expect(stored.defaultProfile).toBe('sandbox');
    expect(stored.profiles.sandbox).toMatchObject({ baseUrl: info.url, clientId: info.clientId });

    const customers = await runCli(config, ['--json', 'customers']);
    expect(customers.code, customers.stderr).toBe(0);
    expect(JSON.parse(customers.stdout).customers).toHaveLength(3);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    await expect(fetch(`${info.url}/msp_api/v1/customers`)).rejects.toThrow();
  });

  it('prints a summary without the credentials in human mode', async () => {
    const home = tempDir();
    cleanups.push(home.cleanup);
    const config = join(home.dir, 'config');
    const run = startCli(config, ['sandbox', '--write-profile', 'lab', '--customers', '2', '--devices', '4']);
    expect(await run.firstLine).toMatch(
      /^Sandbox Central listening on http:\/\/127\.0\.0\.1:\d+: 2 customers/,
    );
    await new Promise((r) => setTimeout(r, 300));
    const profile = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')).profiles.lab;
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    for (const secret of [profile.clientSecret, profile.accessToken, profile.refreshToken]) {
      expect(run.output()).not.toContain(secret);
    }
    expect(run.output()).toContain("Profile 'lab' written");
  });

  it('refuses a non-loopback address (exit 2)', async () => {
    const home = tempDir();
    cleanups.push(home.cleanup);
    const result = await runCli(join(home.dir, 'config'), ['sandbox', '--host', '0.0.0.0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('only listens on loopback');
  });
});

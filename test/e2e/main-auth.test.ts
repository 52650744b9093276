// End to end, credentials: login's default config dir (the process's HOME), token refresh with
// rotation across runs and processes. The BUILT CLI (no TTY) against the sandbox. login's flags
// and the services list are tested in-process: test/unit/commands/{login,services}.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  cleanupAll,
  expectNoSecret,
  mode,
  profileOf,
  sandboxOnly,
  scratch,
  secretsOf,
  statusLines,
  TOKEN_PATH,
  walk,
  world,
} from '../helpers/e2e.js';
import { clearLog, control, mutatingCalls, requestLog, type Sandbox } from '../helpers/sandbox.js';

afterEach(cleanupAll);

describe('login (non-interactive)', () => {
  async function login(sandbox: Sandbox, root: string, dir: string, extra: string[] = [], env = {}) {
    const tokenFile = join(root, 'token.json');
    writeFileSync(
      tokenFile,
      JSON.stringify({
        access_token: sandbox.credentials.accessToken,
        refresh_token: sandbox.credentials.refreshToken,
        expires_in: 7200,
        token_type: 'bearer',
      }),
    );
    return runCli(
      dir,
      [
        ...extra,
        'login',
        '--base-url',
        sandbox.url,
        '--client-id',
        sandbox.credentials.clientId,
        '--client-secret-stdin',
        '--token-file',
        tokenFile,
      ],
      { input: `${sandbox.credentials.clientSecret}\n`, cwd: root, env },
    );
  }

  test('the default config dir is <XDG>/msp-license, with no -nodejs suffix', async () => {
    const sandbox = await sandboxOnly();
    const { root } = scratch();
    const result = await login(sandbox, root, root, [], {
      MSP_LICENSE_CONFIG_DIR: undefined,
      HOME: root,
    });
    expect(result.code, result.stderr).toBe(0);
    const dir = join(root, '.config', 'msp-license');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'config.json'))).toBe(0o600);
    expect(walk(root).filter((p) => p.includes('-nodejs'))).toEqual([]);
  });
});

describe('token refresh', () => {
  test('an expired access token is refreshed once; the rotated pair is persisted for the next run', async () => {
    // No 7 calls/s limit here: login (3 calls) and two runs (3 each) can fall within one second,
    // and a 429 retried would blur the exact call sequence this test is about.
    const w = await world({ rateLimit: { enforce: false } });
    // login already rotated the downloaded pair once (its refresh proved the client secret).
    const original = profileOf(w.dir).refreshToken;
    expect(original).not.toBe(w.sandbox.credentials.refreshToken);

    for (let run = 1; run <= 2; run++) {
      const previous = profileOf(w.dir).refreshToken;
      await control(w.sandbox, 'expire-tokens');
      await clearLog(w.sandbox);
      const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[run] as string]);
      expect(result.code, `run ${run}: ${result.stderr}`).toBe(0);
      const log = await requestLog(w.sandbox);
      expect(log.counts[TOKEN_PATH], `run ${run}`).toBe(1);
      expect(log.requests.filter((r) => r.path === '/oauth2/token').map((r) => r.status)).toEqual([200]);
      // The first call met the expired token (401); after the refresh the job went through once.
      expect(log.requests[0]?.status, `run ${run}`).toBe(401);
      expect((await mutatingCalls(w.sandbox)).filter((c) => c.status !== 401).map((c) => c.status)).toEqual([
        200,
      ]);
      const now = profileOf(w.dir).refreshToken;
      expect(now).not.toBe(previous);
      expectNoSecret(result.stdout + result.stderr, [previous as string, now as string]);
    }
    expect(profileOf(w.dir).refreshToken).not.toBe(original);
  });

  test('a short token lifetime (2s) during --wait: every refresh works, and so does the next run', async () => {
    const w = await world({ tokenTtlSeconds: 2, jobSpeed: 20, preLicensed: 0, devices: 100 });
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
    let log = await requestLog(w.sandbox);
    const refreshes = log.requests.filter((r) => r.path === '/oauth2/token');
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((r) => r.status === 200)).toBe(true);

    await new Promise((r) => setTimeout(r, 2100));
    await clearLog(w.sandbox);
    const again = await w.cli(['services', '--refresh']);
    expect(again.code, again.stderr).toBe(0);
    log = await requestLog(w.sandbox);
    expect(log.requests.filter((r) => r.path === '/oauth2/token').map((r) => r.status)).toEqual([200]);
  });

  test('two processes with an expired token at once: both succeed, one refresh (single-flight)', async () => {
    const w = await world();
    await control(w.sandbox, 'expire-tokens');
    await clearLog(w.sandbox);
    const [a, b] = await Promise.all([w.cli(['services', '--refresh']), w.cli(['services', '--refresh'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const log = await requestLog(w.sandbox);
    expect(statusLines(log.requests.filter((r) => r.path === '/oauth2/token'))).toEqual([
      `${TOKEN_PATH} 200`,
    ]);
    // And the pair on disk is the live one.
    await control(w.sandbox, 'expire-tokens');
    const c = await w.cli(['services', '--refresh']);
    expect(c.code, c.stderr).toBe(0);
  });

  test('a revoked refresh token: exit 4, nothing sent, a hint to log in again, config intact', async () => {
    const w = await world();
    const before = profileOf(w.dir);
    await control(w.sandbox, 'revoke-refresh');
    await control(w.sandbox, 'expire-tokens');
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/login/);
    expectNoSecret(result.stdout + result.stderr, secretsOf(w.sandbox));
    expect((await mutatingCalls(w.sandbox)).filter((c) => c.status === 200)).toEqual([]);
    expect(profileOf(w.dir)).toMatchObject({ baseUrl: before.baseUrl, clientId: before.clientId });
  });
});

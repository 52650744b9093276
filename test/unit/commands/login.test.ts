// login in-process (non-interactive flags: a token file, secrets on stdin) against the sandbox on
// 127.0.0.1, with real config dirs: what is stored and with which modes, what is verified and
// how, what a failure leaves behind. The default config dir under a process's HOME, the prompts
// (a terminal) and the README walk-through stay in test/e2e.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as authRefresh from '../../../src/commands/auth-refresh.js';
import * as authStatus from '../../../src/commands/auth-status.js';
import * as login from '../../../src/commands/login.js';
import * as services from '../../../src/commands/services.js';
import {
  expectNoSecret,
  mode,
  profileOf,
  secretsOf,
  statusLines,
  TOKEN_PATH,
  SERVICES_V1 as V1,
  SERVICES_V2 as V2,
  walk,
} from '../../helpers/e2e.js';
import { closeWorlds, type InWorld, inWorld } from '../../helpers/inprocess.js';
import { requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

/** `[--profile P] login --base-url URL --client-id ID --client-secret-stdin --token-file FILE`. */
function loginWithFile(
  w: InWorld,
  secret: string,
  tokens: object,
  {
    profile,
    clientId,
    globals = {},
    env,
  }: { profile?: string; clientId?: string; globals?: object; env?: Record<string, string> } = {},
) {
  const tokenFile = join(w.root, `token-${Date.now()}-${Math.random()}.json`);
  writeFileSync(tokenFile, JSON.stringify({ ...tokens, expires_in: 7200, token_type: 'bearer' }));
  return w.cmd(
    login,
    { clientId: clientId ?? w.sandbox.credentials.clientId, clientSecretStdin: true, tokenFile },
    {
      globals: { profile, baseUrl: w.sandbox.url, ...globals },
      input: `${secret}\n`,
      ...(env ? { env } : {}),
    },
  );
}
const sandboxTokens = (w: InWorld) => ({
  access_token: w.sandbox.credentials.accessToken,
  refresh_token: w.sandbox.credentials.refreshToken,
});

describe('login (non-interactive)', () => {
  test('stores a 0600 config in a fresh 0700 dir, verifies secret and token, prints no secret', async () => {
    const w = await inWorld({}, { login: false });
    const result = await loginWithFile(w, w.sandbox.credentials.clientSecret, sandboxTokens(w));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Logged in: profile 'default'/);
    expect(mode(w.dir)).toBe(0o700);
    expect(mode(join(w.dir, 'config.json'))).toBe(0o600);
    expect(walk(w.root).filter((p) => p.includes('-nodejs'))).toEqual([]);
    expectNoSecret(result.stdout + result.stderr, secretsOf(w.sandbox));
    const profile = profileOf(w.dir, 'default');
    expect(profile).toMatchObject({ baseUrl: w.sandbox.url, clientId: w.sandbox.credentials.clientId });
    // The verification: a refresh (only it proves the client secret), then the services list
    // (v2 answers 404 here, then v1). The rotated pair is what is stored.
    const log = await requestLog(w.sandbox);
    expect(statusLines(log.requests)).toEqual([`${TOKEN_PATH} 200`, `GET ${V2} 404`, `GET ${V1} 200`]);
    expect(profile.refreshToken).not.toBe(w.sandbox.credentials.refreshToken);
  });

  test('verifies the credentials it was given, not an exported MSP_LICENSE_ACCESS_TOKEN', async () => {
    const w = await inWorld({}, { login: false });
    const result = await loginWithFile(w, w.sandbox.credentials.clientSecret, sandboxTokens(w), {
      env: { MSP_LICENSE_ACCESS_TOKEN: 'stale-token-from-the-shell' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(profileOf(w.dir, 'default').accessToken).not.toBe('stale-token-from-the-shell');
    const log = await requestLog(w.sandbox);
    expect(log.requests.every((r) => r.status !== 401)).toBe(true);
  });

  test('--verbose traces the calls but never a secret', async () => {
    const w = await inWorld({}, { login: false });
    const result = await loginWithFile(w, w.sandbox.credentials.clientSecret, sandboxTokens(w), {
      globals: { verbose: true },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/services\/config/);
    expectNoSecret(result.stdout + result.stderr, secretsOf(w.sandbox));
  });

  test('refuses http:// to a non-loopback host (exit 2) and writes no profile', async () => {
    const w = await inWorld({}, { login: false });
    const tokenFile = join(w.root, 'token.json');
    writeFileSync(tokenFile, JSON.stringify({ access_token: 'a'.repeat(32), refresh_token: 'r'.repeat(32) }));
    const result = await w.cmd(
      login,
      { clientId: 'id', clientSecretStdin: true, tokenFile },
      {
        globals: { profile: undefined, baseUrl: 'http://central.example.com' },
        input: 'the-client-secret\n',
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/https/);
    expect(result.stdout).toBe('');
    expect(result.stdout + result.stderr).not.toContain('the-client-secret');
    expect(existsSync(join(w.dir, 'config.json')) && profileOf(w.dir, 'default')).toBeFalsy();
  });
});

describe('login verifies the client secret', () => {
  test('a wrong secret fails the login (exit 4), nothing is stored; the right one stores the rotated pair', async () => {
    const w = await inWorld({}, { login: false });
    const c = w.sandbox.credentials;
    const wrong = await loginWithFile(w, 'a-mistyped-secret', sandboxTokens(w), { profile: 'lab' });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/^Error: Login failed: .*client id or client secret was rejected/);
    expect(wrong.stdout + wrong.stderr).not.toContain('a-mistyped-secret');
    const status = await w.cmd(authStatus, {}, { globals: { profile: 'lab' } });
    expect(status.code).toBe(4);
    expect(status.stdout).not.toMatch(/valid/);

    const right = await loginWithFile(w, c.clientSecret, sandboxTokens(w), { profile: 'lab' });
    expect(right.code, right.stderr).toBe(0);
    const stored = profileOf(w.dir, 'lab');
    expect(stored?.refreshToken).toBeDefined();
    expect(stored?.refreshToken).not.toBe(c.refreshToken); // rotated by the check: the old one is dead
    const log = await requestLog(w.sandbox);
    expect(log.requests.filter((r) => r.path === '/oauth2/token').map((r) => r.status)).toEqual([401, 200]);
    // A later refresh (cron's) works with what was stored.
    const refresh = await w.cmd(authRefresh, {}, { globals: { profile: 'lab' } });
    expect(refresh.code, refresh.stderr).toBe(0);
  });

  test('a wrong secret on a re-login keeps the previous profile byte for byte', async () => {
    const w = await inWorld({}, { login: false });
    // Logged in as a user would be (the file as login writes it), then again with a wrong secret.
    const first = await loginWithFile(w, w.sandbox.credentials.clientSecret, sandboxTokens(w), {
      profile: 'sandbox',
    });
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(w.dir, 'config.json'), 'utf8');
    const stored = profileOf(w.dir);
    const again = await loginWithFile(
      w,
      'wrong-secret',
      { access_token: stored.accessToken, refresh_token: stored.refreshToken },
      { profile: 'sandbox' },
    );
    expect(again.code).toBe(4);
    expect(readFileSync(join(w.dir, 'config.json'), 'utf8')).toBe(before);
    const status = await w.cmd(authStatus);
    expect(status.code, status.stderr).toBe(0);
  });

  test('username/password login without the client secret says how to give it', async () => {
    const w = await inWorld({}, { login: false });
    const result = await w.cmd(
      login,
      { clientId: 'id', username: 'a@b.example', passwordStdin: true, customerId: 'x' },
      { globals: { profile: undefined, baseUrl: w.sandbox.url }, input: 'the-password\n' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Username\/password login needs the client secret/);
    expect(result.stderr).toMatch(/line 1 the secret, line 2 the password/);
    expect(result.stderr).toMatch(/--client-secret-stdin --username EMAIL --password-stdin/);
  });

  test('login says how many services `services` lists, and that --all lists the rest', async () => {
    const w = await inWorld();
    const c = w.sandbox.credentials;
    const again = await w.cmd(
      login,
      { clientId: c.clientId, clientSecretStdin: true, refreshTokenStdin: true },
      {
        globals: { profile: 'two', baseUrl: w.sandbox.url },
        input: `${c.clientSecret}\n${profileOf(w.dir).refreshToken}\n`,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    const listed = await w.cmd(services, {}, { globals: { profile: 'two' } });
    const all = await w.cmd(services, { all: true }, { globals: { profile: 'two' } });
    const count = (text: string) => text.split('\n').filter(Boolean).length - 1; // minus the header
    expect(again.stdout).toContain(
      `${count(all.stdout)} services visible: ${count(listed.stdout)} Central ones ('msp-license services'), the rest with --all.`,
    );
  });
});

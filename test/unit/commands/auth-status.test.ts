// auth status in-process (its run and render, the runtime's JSON and error reporting) against the
// sandbox on 127.0.0.1: who/where/expiry/refresh age, a revoked pair, --offline, environment
// credentials. What only a process shows stays in test/e2e.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as authStatus from '../../../src/commands/auth-status.js';
import { expectNoSecret, jsonError, profileOf, secretsOf } from '../../helpers/e2e.js';
import { closeWorlds, inWorld } from '../../helpers/inprocess.js';
import { control, requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

/** Rewrites a stored profile field (as if time had passed). */
function patchProfile(dir: string, patch: Record<string, string>, name = 'sandbox'): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(config.profiles[name], patch);
  writeFileSync(file, JSON.stringify(config));
}
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe('auth status', () => {
  test('valid credentials: exit 0, who/where/expiry/refresh age, never a secret', async () => {
    const w = await inWorld();
    const human = await w.cmd(authStatus);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('profile        sandbox');
    expect(human.stdout).toContain(`gateway        ${w.sandbox.url}`);
    expect(human.stdout).toContain(`client id      ${w.sandbox.credentials.clientId}`);
    expect(human.stdout).toMatch(/access token {3}expires in \d+ min/);
    expect(human.stdout).toMatch(
      /refresh token {2}0 days old; revoked by Central after 15 days unused \(15 left\)/,
    );
    expect(human.stdout).toMatch(/status {9}valid/);
    expectNoSecret(human.stdout + human.stderr, secretsOf(w.sandbox));

    const json = await w.cmd(authStatus, {}, { globals: { json: true } });
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status).toEqual({
      profile: 'sandbox',
      gateway: w.sandbox.url,
      clientId: w.sandbox.credentials.clientId,
      source: 'profile',
      clientSecretSource: 'profile',
      accessTokenExpiresAt: expect.any(String),
      accessTokenExpiresInSeconds: expect.any(Number),
      refreshTokenIssuedAt: expect.any(String),
      refreshTokenAgeDays: 0,
      refreshTokenDaysLeft: 15,
      verified: true,
      refreshed: false,
    });
    expect(status.accessTokenExpiresInSeconds).toBeGreaterThan(3600);
  });

  test('after revocation: exit 4 with a clear message (and a JSON error with --json)', async () => {
    const w = await inWorld();
    await control(w.sandbox, 'revoke-refresh');
    await control(w.sandbox, 'expire-tokens');
    const human = await w.cmd(authStatus);
    expect(human.code).toBe(4);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/credentials of profile 'sandbox' do not work/);
    expect(human.stdout + human.stderr).not.toMatch(/status +valid/);
    expectNoSecret(human.stderr, secretsOf(w.sandbox));

    const json = await w.cmd(authStatus, {}, { globals: { json: true } });
    expect(json.code).toBe(4);
    expect(jsonError(json)).toMatchObject({ code: 'auth', exitCode: 4 });
  });

  test('--offline makes no call; a refresh token past 15 days is exit 4 even offline', async () => {
    const w = await inWorld();
    const before = (await requestLog(w.sandbox)).total;
    const offline = await w.cmd(authStatus, { offline: true }, { globals: { json: true } });
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ verified: null, refreshTokenDaysLeft: 15 });
    expect((await requestLog(w.sandbox)).total).toBe(before);

    patchProfile(w.dir, { refreshTokenIssuedAt: daysAgo(13) });
    const old = await w.cmd(authStatus, { offline: true });
    expect(old.code).toBe(0);
    expect(old.stdout).toMatch(/13 days old.*\(2 left\)/);
    expect(old.stderr).toMatch(
      /warning: the refresh token is revoked in 2 days unless used: run 'msp-license auth refresh'/,
    );

    patchProfile(w.dir, { refreshTokenIssuedAt: daysAgo(16) });
    const dead = await w.cmd(authStatus, { offline: true });
    expect(dead.code).toBe(4);
    expect(dead.stderr).toMatch(/16 days old: Central revokes it after 15 days unused/);
  });

  test('environment credentials: source "environment"; a rejected token is exit 4', async () => {
    const w = await inWorld();
    const empty = await inWorld({}, { login: false }); // no profile at all, as in CI
    const env = { MSP_LICENSE_ACCESS_TOKEN: profileOf(w.dir).accessToken as string };
    // MSP_LICENSE_BASE_URL reaches a command as --base-url (commander reads it): a global here.
    const globals = { profile: undefined, baseUrl: w.sandbox.url };
    const ok = await empty.cmd(authStatus, {}, { globals, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/credentials {4}access token from MSP_LICENSE_ACCESS_TOKEN/);
    expect(ok.stdout).toMatch(/status {9}valid/);
    expectNoSecret(ok.stdout + ok.stderr, secretsOf(w.sandbox));

    const bad = await empty.cmd(
      authStatus,
      {},
      {
        globals,
        env: { ...env, MSP_LICENSE_ACCESS_TOKEN: 'not-a-valid-token-at-all' },
      },
    );
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/do not work/);
  });
});

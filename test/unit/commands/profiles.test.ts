// profiles, logout and auth refresh in-process (argv through the commander tree, no process)
// against the sandbox on 127.0.0.1 and a real config dir: the refresh age, the keep-alive, the
// default, forgetting secrets and removing a profile.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoSecret, profileOf, secretsOf } from '../../helpers/e2e.js';
import { type CommandResult, closeWorlds, inWorld, loggedIn } from '../../helpers/inprocess.js';
import { control } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

const parse = (result: CommandResult) => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
/** Rewrites a stored profile field (as if time had passed). */
function patchProfile(dir: string, patch: Record<string, string>, name = 'sandbox'): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(config.profiles[name], patch);
  writeFileSync(file, JSON.stringify(config));
}
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe('auth refresh (the keep-alive) and profiles', () => {
  test('persists the rotated pair: a later run that must refresh works with it', async () => {
    const w = await inWorld();
    patchProfile(w.dir, { refreshTokenIssuedAt: daysAgo(10) });
    const before = profileOf(w.dir);
    const listed = await w.cli(['profiles']);
    expect(listed.stdout).toMatch(/\* sandbox +10d \(5d left\)/);

    const refreshed = await w.cli(['auth', 'refresh', '--json']);
    expect(parse(refreshed)).toEqual({
      profile: 'sandbox',
      gateway: w.sandbox.url,
      accessTokenExpiresAt: expect.any(String),
      refreshTokenDaysLeft: 15,
    });
    expectNoSecret(refreshed.stdout + refreshed.stderr, secretsOf(w.sandbox));
    const after = profileOf(w.dir);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(Date.parse(after?.refreshTokenIssuedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    // The sandbox forgets every access token: the next run must refresh with the stored (rotated) token.
    await control(w.sandbox, 'expire-tokens');
    const next = await w.cli(['customers', '--refresh', '--json']);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).total).toBe(6);

    const profiles = parse(await w.cli(['profiles', '--json'])).profiles;
    expect(profiles).toEqual([
      expect.objectContaining({
        name: 'sandbox',
        default: true,
        gateway: w.sandbox.url,
        hasCredentials: true,
        refreshTokenAgeDays: 0,
        refreshTokenDaysLeft: 15,
      }),
    ]);
    // The cron form: --quiet prints nothing at all on success.
    const quiet = await w.cli(['auth', 'refresh', '--quiet']);
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  test('a revoked refresh token: auth refresh exits 4 and keeps the stored pair', async () => {
    const w = await inWorld();
    const before = profileOf(w.dir);
    await control(w.sandbox, 'revoke-refresh');
    const result = await w.cli(['auth', 'refresh']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(profileOf(w.dir)?.refreshToken).toBe(before?.refreshToken);
  });
});

describe('profiles', () => {
  test('none yet: a hint on stderr, nothing on stdout; --json an empty list', async () => {
    const w = await inWorld({}, { login: false });
    const empty = await w.cli(['profiles']);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toMatch(/No profiles yet: 'msp-license login'/);
    expect(parse(await w.cli(['--json', 'profiles']))).toEqual({ profiles: [] });
  });

  test('profiles use: the default moves; -q silences the confirmation, not the list', async () => {
    const w = await inWorld();
    loggedIn(w.sandbox, w.dir, 'lab');
    const used = await w.cli(['profiles', 'use', 'lab']);
    expect(used).toMatchObject({ code: 0, stdout: 'Default profile: lab\n' });
    expect(JSON.parse(readFileSync(join(w.dir, 'config.json'), 'utf8')).defaultProfile).toBe('lab');
    expect((await w.cli(['-q', 'profiles', 'use', 'sandbox'])).stdout).toBe('');
    const list = await w.cli(['-q', 'profiles']);
    expect(list.stdout).toMatch(/^\* sandbox /m);
    expect(list.stdout).toMatch(/^ {2}lab /m);
    const unknown = await w.cli(['profiles', 'use', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No profile named 'nope'\.\n {2}'msp-license profiles' lists them\./);
  });
});

describe('logout', () => {
  test('forgets the secrets, keeps gateway and client id; a later run needs a login (exit 4)', async () => {
    const w = await inWorld();
    const result = await w.cli(['logout']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      "Forgot the secrets of profile 'sandbox' (gateway and client id kept; 'msp-license login' to sign in again).\n",
    );
    const stored = profileOf(w.dir);
    expect(stored).toMatchObject({ baseUrl: w.sandbox.url, clientId: w.sandbox.credentials.clientId });
    expect(stored).not.toHaveProperty('clientSecret');
    expect(stored).not.toHaveProperty('accessToken');
    expect(stored).not.toHaveProperty('refreshToken');
    expectNoSecret(readFileSync(join(w.dir, 'config.json'), 'utf8'), secretsOf(w.sandbox));
    expect((await w.cli(['profiles'])).stdout).toMatch(/\* sandbox +logged out/);
    const after = await w.cli(['customers', '--refresh']);
    expect(after.code).toBe(4);
  });

  test('--remove removes the profile; an unknown profile is exit 2 with the way out', async () => {
    const w = await inWorld();
    loggedIn(w.sandbox, w.dir, 'lab');
    const removed = await w.cli(['-p', 'lab', 'logout', '--remove']);
    expect(removed).toMatchObject({ code: 0, stdout: "Removed profile 'lab'.\n" });
    expect(profileOf(w.dir, 'lab')).toBeUndefined();
    expect(profileOf(w.dir, 'sandbox')).toBeDefined();
    const unknown = await w.cli(['-p', 'lab', 'logout']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No profile named 'lab'\.\n {2}'msp-license profiles' lists them\./);
  });
});

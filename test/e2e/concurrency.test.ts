// Concurrent cron runs sharing one profile: Central rotates refresh tokens, so the refresh must be
// single-flight across processes (lock, re-read, refresh only if still stale, write, release).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, profileOf, type World, world } from '../helpers/e2e.js';
import { clearLog, control, requestLog, setFaults } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const TOKEN = 'POST /oauth2/token';

/** Whether `refreshToken` is the sandbox's live one (this uses it up: call it last). */
async function isLive(w: World, refreshToken: string | undefined): Promise<boolean> {
  const { clientId, clientSecret } = w.sandbox.credentials;
  const query = new URLSearchParams({
    client_id: clientId,
    client_secret: clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken ?? '',
  });
  const res = await fetch(`${w.sandbox.url}/oauth2/token?${query}`, { method: 'POST' });
  return res.status === 200;
}

async function eight(w: World): Promise<void> {
  const before = profileOf(w.dir);
  const runs = await Promise.all(
    Array.from({ length: 8 }, () => w.cli(['--json', 'customers', '--refresh'], { timeoutMs: 45_000 })),
  );
  for (const run of runs) {
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).customers ?? JSON.parse(run.stdout)).toBeTruthy();
  }
  const log = await requestLog(w.sandbox);
  // Exactly one refresh reached the sandbox; the other seven used the pair it stored.
  expect(log.counts[TOKEN]).toBe(1);
  const after = profileOf(w.dir);
  expect(after?.refreshToken).not.toBe(before?.refreshToken);
  expect(after?.accessToken).not.toBe(before?.accessToken);
  // The stored refresh token is the live one; the one it replaced is dead.
  expect(await isLive(w, before?.refreshToken)).toBe(false);
  expect(await isLive(w, after?.refreshToken)).toBe(true);
}

describe('8 concurrent processes, one expired access token', () => {
  test('expired at the gateway (each gets a 401): exactly one refresh, all 8 succeed', async () => {
    // Rate limits off: this test is about the refresh, not about 429s.
    const w = await world({ rateLimit: { enforce: false } });
    await control(w.sandbox, 'expire-tokens');
    await clearLog(w.sandbox);
    await eight(w);
  });

  test('expired on record (refreshed before any call): exactly one refresh, all 8 succeed', async () => {
    const w = await world({ rateLimit: { enforce: false } });
    const file = join(w.dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.profiles.sandbox.accessTokenExpiresAt = new Date(Date.now() - 60_000).toISOString();
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await control(w.sandbox, 'expire-tokens');
    await clearLog(w.sandbox);
    await eight(w);
  });
});

describe('logout while a refresh is running', () => {
  test('the logout comes after the rotated pair is written, and stays: no token is left', async () => {
    const w = await world({ rateLimit: { enforce: false } });
    // The refresh holds the lock for 2.5 s (a slow token endpoint); logout starts inside that.
    await setFaults(w.sandbox, { latencyMs: 2500, match: 'POST /oauth2/token' });
    const refresh = w.cli(['auth', 'refresh']);
    // Logout once the refresh holds the lock (its file is there), whatever this machine's speed.
    const lock = join(w.dir, 'config.lock');
    for (let waited = 0; !existsSync(lock) && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(existsSync(lock)).toBe(true);
    const logout = await w.cli(['logout']);
    expect(logout.code, logout.stderr).toBe(0);
    expect((await refresh).code).toBe(0);
    const after = profileOf(w.dir);
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('accessToken');
    expect(after).not.toHaveProperty('refreshToken');
  });
});

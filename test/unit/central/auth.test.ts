import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvAuth, ProfileAuth } from '../../../src/central/auth.js';
import { RateGovernor } from '../../../src/central/governor.js';
import { ConfigStore, type Profile } from '../../../src/config/store.js';
import { AuthError } from '../../../src/errors.js';
import { json, startServer, type TestServer, testClient } from './helpers.js';

let server: TestServer | undefined;
let dir: string;

/** A token endpoint with rotation: each refresh token works once. */
function rotatingTokens() {
  let generation = 1;
  let valid = 'refresh-1';
  return startServer((req, res) => {
    if (req.path === '/oauth2/token') {
      if (req.query.get('client_secret') !== 'client-secret-1') {
        json(res, 401, { error: 'invalid_client', error_description: 'bad client' });
        return;
      }
      if (req.query.get('refresh_token') !== valid) {
        json(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh_token' });
        return;
      }
      generation += 1;
      valid = `refresh-${generation}`;
      // A little latency, so that concurrent callers really overlap.
      setTimeout(
        () =>
          json(res, 200, { access_token: `access-${generation}`, refresh_token: valid, expires_in: 7200 }),
        50,
      );
      return;
    }
    const current = `Bearer access-${generation}`;
    if (req.headers.authorization === current) json(res, 200, { ok: true });
    else json(res, 401, { error: 'invalid_token' });
  });
}

function profile(baseUrl: string, patch: Partial<Profile> = {}): Profile {
  const now = new Date().toISOString();
  return {
    name: 'p',
    baseUrl,
    clientId: 'cid',
    clientSecret: 'client-secret-1',
    accessToken: 'access-1',
    accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    refreshToken: 'refresh-1',
    refreshTokenIssuedAt: now,
    createdAt: now,
    updatedAt: now,
    ...patch,
  };
}

function auth(store: ConfigStore, env: NodeJS.ProcessEnv = {}) {
  return new ProfileAuth({ store, profileName: 'p', env, http: { governor: new RateGovernor() } });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-central-auth-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const refreshCalls = () => server?.requests.filter((r) => r.path === '/oauth2/token').length;

describe('ProfileAuth', () => {
  it('uses the stored token while it is fresh', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(profile(server.url));
    expect(await auth(store).getAccessToken()).toBe('access-1');
    expect(refreshCalls()).toBe(0);
  });

  it('refreshes first when the token expires within 5 minutes, and persists the rotated pair', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(
      profile(server.url, { accessTokenExpiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const a = auth(store);
    expect(await a.getAccessToken()).toBe('access-2');
    expect(a.refreshes).toBe(1);
    const onDisk = ConfigStore.open(dir).getProfile('p')!;
    expect(onDisk.accessToken).toBe('access-2');
    expect(onDisk.refreshToken).toBe('refresh-2');
    expect(Date.parse(onDisk.accessTokenExpiresAt!)).toBeGreaterThan(Date.now() + 7_000_000);
    expect(a.secrets()).toEqual(
      expect.arrayContaining(['access-2', 'refresh-2', 'client-secret-1', 'refresh-1']),
    );
  });

  it('refreshes once after a 401 and the client retries', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(profile(server.url, { accessToken: 'access-0' }));
    const a = auth(store);
    const client = testClient(server.url, { auth: a });
    expect((await client.request('GET', '/x')).body).toEqual({ ok: true });
    expect(client.metrics.refreshes).toBe(1);
  });

  it('is single-flight within a process and across "processes" sharing the config dir', async () => {
    server = await rotatingTokens();
    ConfigStore.open(dir).saveProfile(profile(server.url, { accessToken: 'access-0' }));
    // Two stores on one directory behave like two processes.
    const one = auth(ConfigStore.open(dir));
    const two = auth(ConfigStore.open(dir));
    const tokens = await Promise.all([
      one.refreshAfterUnauthorized('access-0'),
      one.refreshAfterUnauthorized('access-0'),
      two.refreshAfterUnauthorized('access-0'),
      two.refreshAfterUnauthorized('access-0'),
    ]);
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(refreshCalls()).toBe(1);
    expect(ConfigStore.open(dir).getProfile('p')!.refreshToken).toBe('refresh-2');
  });

  it('a failed refresh writes nothing and is an AuthError with the way out', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(profile(server.url, { refreshToken: 'refresh-stale', accessToken: 'access-0' }));
    const before = fs.readFileSync(store.path, 'utf8');
    const err = await auth(store)
      .refreshAfterUnauthorized('access-0')
      .catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.exitCode).toBe(4);
    expect(err.hint).toContain('msp-license login --token-file FILE');
    expect(err.message).not.toContain('refresh-stale');
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('takes the client secret from MSP_LICENSE_CLIENT_SECRET over the profile', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(profile(server.url, { clientSecret: undefined, accessToken: 'access-0' }));
    const err = await auth(store)
      .refreshAfterUnauthorized('access-0')
      .catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('no client secret');
    expect(err.hint).toContain('msp-license login');
    const token = await auth(store, {
      MSP_LICENSE_CLIENT_SECRET: 'client-secret-1',
    }).refreshAfterUnauthorized('access-0');
    expect(token).toBe('access-2');
  });

  it('without a refresh token says how to log in', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(
      profile(server.url, { refreshToken: undefined, accessTokenExpiresAt: new Date(0).toISOString() }),
    );
    const err = await auth(store)
      .getAccessToken()
      .catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.hint).toContain('msp-license login');
  });

  it('refreshNow refreshes even a fresh token (the cron keep-alive)', async () => {
    server = await rotatingTokens();
    const store = ConfigStore.open(dir);
    store.saveProfile(profile(server.url));
    expect(await auth(store).refreshNow()).toBe('access-2');
  });
});

describe('EnvAuth', () => {
  it('uses the token as is and turns a 401 into an AuthError naming the variable', async () => {
    server = await startServer((_req, res) => json(res, 401, { error: 'invalid_token' }));
    const client = testClient(server.url, { auth: new EnvAuth('env-access-token') });
    const err = await client.request('GET', '/x').catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('MSP_LICENSE_ACCESS_TOKEN was rejected');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer env-access-token');
    expect(server.requests).toHaveLength(1);
  });
});

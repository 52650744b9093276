import { describe, expect, it } from 'vitest';
import { call, get, sandbox, sleep } from './helpers.js';

const CUSTOMERS = '/msp_api/v1/customers';

function tokenQuery(
  sb: { credentials: { clientId: string; clientSecret: string } },
  extra: Record<string, string>,
) {
  return new URLSearchParams({
    client_id: sb.credentials.clientId,
    client_secret: sb.credentials.clientSecret,
    ...extra,
  }).toString();
}

describe('sandbox OAuth', () => {
  it('rotates refresh tokens: the old refresh and access tokens stop working', async () => {
    const sb = await sandbox();
    const { refreshToken, accessToken } = sb.credentials;
    const first = await call(
      sb,
      'POST',
      `/oauth2/token?${tokenQuery(sb, { grant_type: 'refresh_token', refresh_token: refreshToken })}`,
      { token: null },
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: 7200 });
    expect(first.body.access_token).not.toBe(accessToken);
    expect(first.body.refresh_token).not.toBe(refreshToken);

    const again = await call(
      sb,
      'POST',
      `/oauth2/token?${tokenQuery(sb, { grant_type: 'refresh_token', refresh_token: refreshToken })}`,
      { token: null },
    );
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh_token' });

    const old = await call(sb, 'GET', CUSTOMERS, { token: accessToken });
    expect(old.status).toBe(401);
    expect(old.body).toEqual({
      error: 'invalid_token',
      error_description: 'Access token expired or invalid',
    });
    expect((await call(sb, 'GET', CUSTOMERS, { token: first.body.access_token })).status).toBe(200);
  });

  it('accepts the refresh parameters as a JSON body or a form body', async () => {
    const sb = await sandbox();
    const json = await call(sb, 'POST', '/oauth2/token', {
      token: null,
      body: {
        client_id: sb.credentials.clientId,
        client_secret: sb.credentials.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: sb.credentials.refreshToken,
      },
    });
    expect(json.status).toBe(200);
    const res = await fetch(sb.url + '/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenQuery(sb, { grant_type: 'refresh_token', refresh_token: json.body.refresh_token }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('access_token');
  });

  it('rejects a wrong client secret with 401 invalid_client', async () => {
    const sb = await sandbox();
    const q = new URLSearchParams({
      client_id: sb.credentials.clientId,
      client_secret: 'nope',
      grant_type: 'refresh_token',
      refresh_token: sb.credentials.refreshToken,
    });
    const r = await call(sb, 'POST', `/oauth2/token?${q}`, { token: null });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'invalid_client', error_description: 'Invalid client credentials' });
  });

  it('needs a bearer token on API calls', async () => {
    const sb = await sandbox();
    expect((await call(sb, 'GET', CUSTOMERS, { token: null })).status).toBe(401);
    expect((await call(sb, 'GET', CUSTOMERS, { token: 'bogus' })).body.error).toBe('invalid_token');
    const lower = await fetch(sb.url + CUSTOMERS, {
      headers: { authorization: `bearer ${sb.credentials.accessToken}` },
    });
    expect(lower.status).toBe(200);
  });

  it('expires every access token on /__sandbox/expire-tokens; the refresh token still works', async () => {
    const sb = await sandbox();
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
    await call(sb, 'POST', '/__sandbox/expire-tokens', { token: null });
    expect((await get(sb, CUSTOMERS)).status).toBe(401);
    const r = await call(
      sb,
      'POST',
      `/oauth2/token?${tokenQuery(sb, { grant_type: 'refresh_token', refresh_token: sb.credentials.refreshToken })}`,
      { token: null },
    );
    expect(r.status).toBe(200);
    expect((await call(sb, 'GET', CUSTOMERS, { token: r.body.access_token })).status).toBe(200);
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    const sb = await sandbox({ tokenTtlSeconds: 1 });
    expect(sb.credentials.expiresIn).toBe(1);
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
    await sleep(1100);
    expect((await get(sb, CUSTOMERS)).status).toBe(401);
  });

  it('revoke-refresh makes the refresh token fail; /__sandbox/tokens mints a fresh current pair', async () => {
    const sb = await sandbox();
    await call(sb, 'POST', '/__sandbox/revoke-refresh', { token: null });
    const refresh = (rt: string) =>
      call(
        sb,
        'POST',
        `/oauth2/token?${tokenQuery(sb, { grant_type: 'refresh_token', refresh_token: rt })}`,
        { token: null },
      );
    expect((await refresh(sb.credentials.refreshToken)).status).toBe(400);
    // The access token issued at start is still valid (only the refresh token was revoked).
    expect((await get(sb, CUSTOMERS)).status).toBe(200);

    const minted = await call(sb, 'POST', '/__sandbox/tokens', { token: null });
    expect(minted.status).toBe(200);
    expect(Object.keys(minted.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token']);
    expect((await call(sb, 'GET', CUSTOMERS, { token: minted.body.access_token })).status).toBe(200);
    expect((await refresh(minted.body.refresh_token)).status).toBe(200);
  });

  it('logs in with username/password, authorises with CSRF + session and redeems the code once', async () => {
    const sb = await sandbox();
    const { clientId, username, password, customerId } = sb.credentials;
    const bad = await call(sb, 'POST', `/oauth2/authorize/central/api/login?client_id=${clientId}`, {
      token: null,
      body: { username, password: 'wrong' },
    });
    expect(bad.status).toBe(401);

    const login = await fetch(`${sb.url}/oauth2/authorize/central/api/login?client_id=${clientId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(login.status).toBe(200);
    const jar = Object.fromEntries(
      login.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]),
    );
    expect(jar.csrftoken).toBeTruthy();
    expect(jar.session).toBeTruthy();

    const noCsrf = await call(
      sb,
      'POST',
      `/oauth2/authorize/central/api?client_id=${clientId}&response_type=code&scope=all`,
      {
        token: null,
        body: { customer_id: customerId },
        headers: { Cookie: `session=${jar.session}` },
      },
    );
    expect(noCsrf.status).toBe(401);

    const auth = await call(
      sb,
      'POST',
      `/oauth2/authorize/central/api?client_id=${clientId}&response_type=code&scope=all`,
      {
        token: null,
        body: { customer_id: customerId },
        headers: { 'X-CSRF-TOKEN': jar.csrftoken!, Cookie: `session=${jar.session}` },
      },
    );
    expect(auth.status).toBe(200);
    const code = auth.body.auth_code as string;
    const redeem = () =>
      call(sb, 'POST', `/oauth2/token?${tokenQuery(sb, { grant_type: 'authorization_code', code })}`, {
        token: null,
      });
    const tokens = await redeem();
    expect(tokens.status).toBe(200);
    expect((await call(sb, 'GET', CUSTOMERS, { token: tokens.body.access_token })).status).toBe(200);
    expect((await redeem()).body.error).toBe('invalid_grant');
  });
});

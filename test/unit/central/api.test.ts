import { afterEach, describe, expect, it } from 'vitest';
import {
  countCustomerDevices,
  fetchCustomers,
  fetchServices,
  fetchStats,
  sendLicenseJob,
} from '../../../src/central/api.js';
import { RateGovernor } from '../../../src/central/governor.js';
import { passwordLogin, refreshTokens } from '../../../src/central/oauth.js';
import { ApiError, AuthError } from '../../../src/errors.js';
import { json, startServer, type TestServer, testClient } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const customers = Array.from({ length: 237 }, (_, i) => ({
  customer_id: `c${String(i).padStart(4, '0')}`,
  customer_name: `Customer ${i}`,
  group: { name: 'default' },
}));

function offsetLimit(q: URLSearchParams) {
  return { offset: Number(q.get('offset') ?? 0), limit: Number(q.get('limit') ?? 100) };
}

describe('fetchCustomers', () => {
  it('pages by the count the server honoured when it caps limit silently', async () => {
    server = await startServer((req, res) => {
      const { offset, limit } = offsetLimit(req.query);
      const n = Math.min(limit, 30);
      json(res, 200, { customers: customers.slice(offset, offset + n), total: customers.length });
    });
    const got = await fetchCustomers(testClient(server.url), { pageSize: 100 });
    expect(got).toHaveLength(237);
    expect(new Set(got.map((c) => c.id)).size).toBe(237);
    expect(got[0]).toEqual({ id: 'c0000', name: 'Customer 0', groupName: 'default' });
    expect(got[236]?.id).toBe('c0236');
    // 237 / 30 → 8 pages, no more.
    expect(server.requests).toHaveLength(8);
    expect(server.requests.slice(1).every((r) => r.query.get('limit') === '30')).toBe(true);
  });

  it('de-duplicates overlapping pages and terminates', async () => {
    server = await startServer((req, res) => {
      const { offset, limit } = offsetLimit(req.query);
      // Every page after the first repeats the last 5 items of the previous one.
      const start = Math.max(0, offset - (offset > 0 ? 5 : 0));
      json(res, 200, { customers: customers.slice(start, start + limit), total: customers.length });
    });
    const got = await fetchCustomers(testClient(server.url), { pageSize: 50 });
    expect(got).toHaveLength(237);
    expect(new Set(got.map((c) => c.id)).size).toBe(237);
    expect(server.requests.length).toBeLessThanOrEqual(237 / 50 + 10);
  });

  it('terminates when the server repeats the same page forever', async () => {
    server = await startServer((_req, res) =>
      json(res, 200, { customers: customers.slice(0, 10), total: 237 }),
    );
    const got = await fetchCustomers(testClient(server.url), { pageSize: 10 });
    expect(got).toHaveLength(10);
    expect(server.requests.length).toBeLessThanOrEqual(Math.ceil(237 / 10) + 10);
  });

  it('copes with a server that reads offset as a page number', async () => {
    server = await startServer((req, res) => {
      const { offset, limit } = offsetLimit(req.query);
      json(res, 200, {
        customers: customers.slice(offset * limit, offset * limit + limit),
        total: customers.length,
      });
    });
    const got = await fetchCustomers(testClient(server.url), { pageSize: 100 });
    expect(got).toHaveLength(237);
  });

  it('stops at an empty first page and passes the search filter', async () => {
    server = await startServer((_req, res) => json(res, 200, { customers: [], total: 0 }));
    expect(await fetchCustomers(testClient(server.url), { search: 'acme' })).toEqual([]);
    expect(server.requests[0]?.query.get('customer_name')).toBe('acme');
  });

  it('raises ApiError on a shape it cannot read', async () => {
    server = await startServer((_req, res) => json(res, 200, { items: [] }));
    const err = await fetchCustomers(testClient(server.url)).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toMatch(/^unexpected response from GET \/msp_api\/v1\/customers/);
  });

  it('keeps the governor rate with concurrent pages', async () => {
    server = await startServer((req, res) => {
      const { offset, limit } = offsetLimit(req.query);
      json(res, 200, { customers: customers.slice(offset, offset + Math.min(limit, 20)), total: 237 });
    });
    const client = testClient(server.url, { governor: new RateGovernor({ perSecond: 5, marginMs: 0 }) });
    const t0 = Date.now();
    await fetchCustomers(client, { concurrency: 4 });
    // 12 requests at 5 per window: at least two full windows.
    expect(server.requests).toHaveLength(12);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  });
});

describe('devices', () => {
  it("counts a customer's devices with one call: deviceList.total_devices (pycentral reads it)", async () => {
    server = await startServer((_req, res) =>
      json(res, 200, { status: 'success', deviceList: { devices: [{ serial: 'SN1' }], total_devices: 55 } }),
    );
    expect(await countCustomerDevices(testClient(server.url), 'c 1')).toBe(55);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/msp_api/v1/customers/c%201/devices');
    expect(server.requests[0]?.query.get('limit')).toBe('1');
  });
});

describe('fetchServices', () => {
  it('falls back from v2 to v1 on 404 and says which answered', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/platform/licensing/v2/services/config') json(res, 404, { message: 'Not found' });
      else
        json(res, 200, { data: { dm: { service_category: 'dm', device_type: 'ALL', display_name: 'DM' } } });
    });
    const got = await fetchServices(testClient(server.url));
    expect(got.path).toBe('v1');
    expect(got.services).toEqual([{ name: 'dm', category: 'dm', deviceType: 'ALL', displayName: 'DM' }]);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/platform/licensing/v2/services/config',
      '/platform/licensing/v1/services/config',
    ]);
  });

  it('uses v1 first when told', async () => {
    server = await startServer((_req, res) => json(res, 200, { foundation_ap: {}, dm: {} }));
    const got = await fetchServices(testClient(server.url), { preferPath: 'v1' });
    expect(got.path).toBe('v1');
    expect(got.services.map((s) => s.name)).toEqual(['foundation_ap', 'dm']);
    expect(server.requests).toHaveLength(1);
  });

  it('a 404 on both is an ApiError', async () => {
    server = await startServer((_req, res) => json(res, 404, { message: 'Not found' }));
    const err = await fetchServices(testClient(server.url)).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.httpStatus).toBe(404);
  });
});

describe('stats, subscriptions, license job', () => {
  it('parses stats, sends TenantID, and filters by both parameters unless told which one works', async () => {
    server = await startServer((_req, res) =>
      json(res, 200, { total: 5000, available: 4800, used: 200, non_subscribed_devices: 1000, expiring: 0 }),
    );
    const client = testClient(server.url);
    const got = await fetchStats(client, 'foundation_ap', { tenantId: 'c7' });
    expect(got).toEqual({
      service: 'foundation_ap',
      licensesTotal: 5000,
      licensesAvailable: 4800,
      licensesUsed: 200,
      unlicensedDevices: 1000,
      expiring: 0,
    });
    expect(server.requests[0]?.headers.tenantid).toBe('c7');
    expect(server.requests[0]?.query.get('service')).toBe('foundation_ap');
    expect(server.requests[0]?.query.get('license_type')).toBe('foundation_ap');
    await fetchStats(client, 'foundation_ap', { filter: 'license_type' });
    expect(server.requests[1]?.query.has('service')).toBe(false);
    expect(server.requests[1]?.query.get('license_type')).toBe('foundation_ap');
    await fetchStats(client, 'foundation_ap', { filter: 'service' });
    expect(server.requests[2]?.query.has('license_type')).toBe(false);
  });

  it('POSTs assign and DELETEs unassign with the JSON body, omitting empty lists', async () => {
    server = await startServer((_req, res) =>
      json(res, 200, { response: 'success' }, { 'x-request-id': 'r-1' }),
    );
    const client = testClient(server.url);
    const a = await sendLicenseJob(client, 'assign', {
      services: ['foundation_ap'],
      excludeCustomers: ['c1'],
      includeCustomers: [],
    });
    expect(a).toEqual({
      status: 200,
      body: { response: 'success', raw: { response: 'success' } },
      requestId: 'r-1',
    });
    await sendLicenseJob(client, 'unassign', { services: ['dm'], includeCustomers: ['c2', 'c3'] });
    expect(server.requests.map((r) => [r.method, JSON.parse(r.body)])).toEqual([
      ['POST', { services: ['foundation_ap'], exclude_customers: ['c1'] }],
      ['DELETE', { services: ['dm'], include_customers: ['c2', 'c3'] }],
    ]);
  });

  it.each([413, 417])('surfaces %i as ApiError with httpStatus, without retrying', async (status) => {
    server = await startServer((_req, res) => json(res, status, { message: 'request size limit exceeded' }));
    const err = await sendLicenseJob(testClient(server.url), 'assign', { services: ['dm'] }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.httpStatus).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it('retries the license job after a 503 (assigning twice is a no-op)', async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n += 1;
      if (n === 1) json(res, 503, { message: 'busy' });
      else json(res, 200, { response: 'success' });
    });
    const got = await sendLicenseJob(testClient(server.url), 'assign', { services: ['dm'] });
    expect(got.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });
});

describe('OAuth', () => {
  it('refreshes with the parameters in the query string and no bearer', async () => {
    server = await startServer((_req, res) =>
      json(res, 200, {
        access_token: 'new-access',
        refresh_token: 'new-refresh',
        expires_in: 7200,
        token_type: 'bearer',
      }),
    );
    const got = await refreshTokens(
      server.url,
      { clientId: 'cid', clientSecret: 'the-secret', refreshToken: 'old-refresh' },
      { governor: new RateGovernor() },
    );
    expect(got).toEqual({
      access_token: 'new-access',
      refresh_token: 'new-refresh',
      expires_in: 7200,
      token_type: 'bearer',
    });
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/oauth2/token');
    expect(Object.fromEntries(req.query)).toEqual({
      client_id: 'cid',
      client_secret: 'the-secret',
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh',
    });
    expect(req.headers.authorization).toBeUndefined();
  });

  it('invalid_grant is an AuthError with the way out', async () => {
    server = await startServer((_req, res) =>
      json(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh_token old-refresh' }),
    );
    const err = await refreshTokens(server.url, {
      clientId: 'cid',
      clientSecret: 'the-secret',
      refreshToken: 'old-refresh',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.exitCode).toBe(4);
    expect(err.message).not.toContain('old-refresh');
    expect(err.hint).toContain('msp-license login --token-file FILE');
    expect(server.requests).toHaveLength(1);
  });

  it('logs in with username and password in three calls, never retried', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/oauth2/authorize/central/api/login') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': ['csrftoken=csrf-123456; Path=/', 'session=sess-abcdef; HttpOnly'],
        });
        res.end('{"status":true}');
      } else if (req.path === '/oauth2/authorize/central/api') {
        json(res, 200, { auth_code: 'code-xyz123' });
      } else json(res, 200, { access_token: 'acc-1', refresh_token: 'ref-1', expires_in: 7200 });
    });
    const lines: string[] = [];
    const got = await passwordLogin(
      server.url,
      {
        clientId: 'cid',
        clientSecret: 'sec-000000',
        username: 'u@x',
        password: 'pw-secret',
        customerId: 'msp1',
      },
      { governor: new RateGovernor(), trace: (l) => lines.push(l) },
    );
    expect(got.access_token).toBe('acc-1');
    const [login, authorize, token] = server.requests;
    expect(JSON.parse(login!.body)).toEqual({ username: 'u@x', password: 'pw-secret' });
    expect(authorize!.headers['x-csrf-token']).toBe('csrf-123456');
    expect(authorize!.headers.cookie).toBe('session=sess-abcdef');
    expect(JSON.parse(authorize!.body)).toEqual({ customer_id: 'msp1' });
    expect(token!.query.get('code')).toBe('code-xyz123');
    expect(token!.query.get('grant_type')).toBe('authorization_code');
    const all = lines.join('\n');
    for (const secret of ['sec-000000', 'pw-secret', 'code-xyz123', 'csrf-123456', 'sess-abcdef']) {
      expect(all).not.toContain(secret);
    }
  });

  it('a failed login is one AuthError, no retry', async () => {
    server = await startServer((_req, res) => json(res, 503, { message: 'busy' }));
    const err = await passwordLogin(
      server.url,
      { clientId: 'cid', clientSecret: 'sec-000000', username: 'u', password: 'pw-secret', customerId: 'm' },
      { governor: new RateGovernor() },
    ).catch((e) => e);
    expect(err.exitCode).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });
});

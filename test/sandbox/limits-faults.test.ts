import { describe, expect, it } from 'vitest';
import { call, get, type Json, log, sandbox, sleep } from './helpers.js';

const CUSTOMERS = '/msp_api/v1/customers';
const RATE_HEADERS = [
  'x-ratelimit-limit-day',
  'x-ratelimit-remaining-day',
  'x-ratelimit-limit-second',
  'x-ratelimit-remaining-second',
];

const faults = (sb: Parameters<typeof call>[0], spec: unknown) =>
  call(sb, 'POST', '/__sandbox/faults', { token: null, body: spec });

describe('sandbox rate limits', () => {
  it('answers 429 past 7 calls in one second, with the rate-limit headers on every answer', async () => {
    const sb = await sandbox({ rateLimit: {} }); // the defaults: 7/s, 5000/day, enforced
    // Start right after a second boundary so that the burst falls in one calendar second.
    await sleep(1000 - (Date.now() % 1000) + 5);
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(sb, CUSTOMERS)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429, 429, 429]);
    for (const a of answers) for (const h of RATE_HEADERS) expect(a.headers.get(h)).not.toBeNull();
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body).toEqual({ message: 'API rate limit exceeded' });
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-ratelimit-remaining-second')).toBe('0');
    expect(limited.headers.get('x-ratelimit-limit-second')).toBe('7');
    expect(limited.headers.get('x-ratelimit-remaining-day')).toBe('4993');
    // Rejected calls are in the log too.
    const l = await log(sb);
    expect(l.total).toBe(10);
    expect(l.requests.filter((r: Json) => r.status === 429)).toHaveLength(3);
  });

  it('enforces the daily limit, counting the oauth2 calls; control endpoints are free', async () => {
    const sb = await sandbox({ rateLimit: { perDay: 3, perSecond: 100 } });
    await call(sb, 'POST', '/oauth2/token?grant_type=refresh_token', { token: null }); // 401, still counted
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
    await call(sb, 'GET', '/__sandbox/state', { token: null });
    const third = await get(sb, CUSTOMERS);
    expect(third.headers.get('x-ratelimit-remaining-day')).toBe('0');
    const fourth = await get(sb, CUSTOMERS);
    expect(fourth.status).toBe(429);
    expect((await log(sb)).total).toBe(4);
  });

  it('does not reject with enforce: false but still sends the headers', async () => {
    const sb = await sandbox({ rateLimit: { perSecond: 1, enforce: false } });
    const answers = await Promise.all(Array.from({ length: 4 }, () => get(sb, CUSTOMERS)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.some((a) => a.headers.get('x-ratelimit-remaining-second') === '0')).toBe(true);
  });
});

describe('sandbox faults', () => {
  it('status429 answers the next N calls with 429', async () => {
    const sb = await sandbox({ faults: { status429: 2 } });
    expect((await get(sb, CUSTOMERS)).status).toBe(429);
    const second = await get(sb, CUSTOMERS);
    expect(second.body).toEqual({ message: 'API rate limit exceeded' });
    expect(second.headers.get('x-ratelimit-limit-second')).toBe('7');
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
  });

  it('always429 answers 429 until replaced', async () => {
    const sb = await sandbox();
    await faults(sb, { always429: true });
    expect((await get(sb, CUSTOMERS)).status).toBe(429);
    expect((await get(sb, CUSTOMERS)).status).toBe(429);
    const replaced = await faults(sb, {});
    expect(replaced.body).toEqual({});
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
  });

  it('status5xx answers 500 with the gateway message', async () => {
    const sb = await sandbox();
    const set = await faults(sb, { status5xx: 1 });
    expect(set.body).toEqual({ status5xx: 1 });
    const r = await get(sb, CUSTOMERS);
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ message: 'An unexpected error occurred' });
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
  });

  it('plain503 answers text/plain', async () => {
    const sb = await sandbox({ faults: { plain503: 1 } });
    const r = await get(sb, CUSTOMERS);
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.text).toBe('upstream connect error or disconnect/reset before headers');
  });

  it('reset destroys the socket without an answer', async () => {
    const sb = await sandbox({ faults: { reset: 1 } });
    await expect(
      fetch(sb.url + CUSTOMERS, { headers: { Authorization: `Bearer ${sb.credentials.accessToken}` } }),
    ).rejects.toThrow();
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
    const l = await log(sb);
    expect(l.requests.map((r: Json) => r.status)).toEqual([0, 200]);
  });

  it('latencyMs delays answers', async () => {
    const sb = await sandbox({ faults: { latencyMs: 150 } });
    const t = Date.now();
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });

  it('match restricts a fault to matching requests', async () => {
    const sb = await sandbox();
    await faults(sb, { status5xx: 1, match: 'POST /platform/licensing' });
    expect((await get(sb, CUSTOMERS)).status).toBe(200);
    const post = await call(sb, 'POST', '/platform/licensing/v1/msp/subscriptions/devices/all', {
      body: { services: ['foundation_ap'] },
    });
    expect(post.status).toBe(500);
    const current = await call(sb, 'GET', '/__sandbox/faults', { token: null });
    expect(current.body).toEqual({ match: 'POST /platform/licensing' });
  });
});

describe('sandbox request log', () => {
  it('counts per normalised endpoint and can be cleared', async () => {
    const sb = await sandbox({ customers: 3, devices: 30 });
    const [a, b] = sb.estate.customers.map((c) => c.customer_id) as [string, string];
    await get(sb, `${CUSTOMERS}?limit=5`);
    await get(sb, `/msp_api/v1/customers/${a}/devices`);
    await get(sb, `/msp_api/v1/customers/${b}/devices?offset=0&limit=10`);
    await get(sb, '/platform/licensing/v1/subscriptions?limit=5');
    await get(sb, '/platform/licensing/v1/subscriptions/stats?service=foundation_ap', { TenantID: a });
    await call(sb, 'GET', '/__sandbox/state', { token: null });
    const l = await log(sb);
    expect(l.total).toBe(5);
    expect(l.counts).toEqual({
      'GET /msp_api/v1/customers': 1,
      'GET /msp_api/v1/customers/{id}/devices': 2,
      'GET /platform/licensing/v1/subscriptions': 1,
      'GET /platform/licensing/v1/subscriptions/stats': 1,
    });
    expect(l.requests[0]).toMatchObject({
      method: 'GET',
      path: CUSTOMERS,
      query: { limit: '5' },
      status: 200,
    });
    expect(typeof l.requests[0].t).toBe('number');
    expect(l.requests[0]).not.toHaveProperty('body');
    expect(l.requests[4].tenant).toBe(a);
    await call(sb, 'DELETE', '/__sandbox/log', { token: null });
    expect(await log(sb)).toEqual({ total: 0, counts: {}, requests: [] });
  });
});

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthProvider, RetryInfo } from '../../../src/central/http.js';
import { AuthError, NetworkError, RateLimitError } from '../../../src/errors.js';
import { json, startServer, type TestServer, testClient, text } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

class FakeAuth implements AuthProvider {
  token = 'access-token-1';
  refreshCalls: string[] = [];
  async getAccessToken() {
    return this.token;
  }
  async refreshAfterUnauthorized(stale: string) {
    this.refreshCalls.push(stale);
    this.token = 'access-token-2';
    return this.token;
  }
  secrets() {
    return ['access-token-1', 'access-token-2', 'client-secret-xyz'];
  }
}

describe('CentralClient', () => {
  it('sends the bearer token, TenantID and a JSON body, and parses JSON', async () => {
    server = await startServer((req, res) => json(res, 200, { got: JSON.parse(req.body || 'null') }));
    const client = testClient(server.url, { auth: new FakeAuth() });
    const res = await client.request<{ got: unknown }>('DELETE', '/a', {
      query: { x: 1, y: undefined, z: 'a b' },
      body: { services: ['dm'] },
      tenantId: 'cust-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.got).toEqual({ services: ['dm'] });
    const seen = server.requests[0]!;
    expect(seen.method).toBe('DELETE');
    expect(seen.url).toBe('/a?x=1&z=a+b');
    expect(seen.headers.authorization).toBe('Bearer access-token-1');
    expect(seen.headers.tenantid).toBe('cust-1');
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('retries a plain-text 503 and then succeeds, reporting each retry', async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n += 1;
      if (n <= 2) text(res, 503, 'upstream connect error or disconnect/reset before headers');
      else json(res, 200, { ok: true });
    });
    const retries: RetryInfo[] = [];
    const client = testClient(server.url, { onRetry: (i) => retries.push(i) });
    const res = await client.request('GET', '/x');
    expect(res.body).toEqual({ ok: true });
    expect(retries.map((r) => `${r.reason} (${r.attempt}/${r.max})`)).toEqual([
      'HTTP 503 (1/5)',
      'HTTP 503 (2/5)',
    ]);
    expect(client.metrics).toMatchObject({ calls: 3, retries: 2 });
  });

  it('gives up on 429 after maxRetries with RateLimitError (exit 5)', async () => {
    server = await startServer((_req, res) =>
      json(res, 429, { message: 'API rate limit exceeded' }, { 'X-RateLimit-Remaining-day': '4000' }),
    );
    const client = testClient(server.url, { maxRetries: 3 });
    const err = await client.request('GET', '/x').catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toContain('API rate limit exceeded');
    expect(server.requests).toHaveLength(4);
    expect(client.metrics).toMatchObject({ calls: 4, retries: 3, rateLimited: 4, dayRemaining: 4000 });
  });

  it('retries a non-idempotent POST after 429 but not after 503', async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n += 1;
      if (n === 1) json(res, 429, { message: 'API rate limit exceeded' });
      else text(res, 503, 'unavailable');
    });
    const client = testClient(server.url);
    const err = await client.request('POST', '/job', { body: {} }).catch((e) => e);
    expect(err.httpStatus).toBe(503);
    expect(server.requests).toHaveLength(2);
  });

  it('retries after the server destroys the socket (connection reset)', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      n += 1;
      if (n === 1) req && res.socket?.destroy();
      else json(res, 200, { ok: true });
    });
    const client = testClient(server.url);
    const res = await client.request('GET', '/x');
    expect(res.body).toEqual({ ok: true });
    expect(client.metrics.retries).toBe(1);
  });

  it('maps a timeout to NetworkError (exit 6) after bounded retries', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const client = testClient(server.url, { timeoutMs: 150, maxRetries: 1 });
    const err = await client.request('GET', '/slow').catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain('No answer from 127.0.0.1 within 150ms (after 1 retry)');
    expect(server.requests).toHaveLength(2);
  });

  it('says "connection refused" with exit 6 when nothing listens', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = testClient(`http://127.0.0.1:${port}`, { maxRetries: 2 });
    const err = await client.request('POST', '/x', { body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain(`Connection refused by 127.0.0.1:${port}`);
    // Refused means never sent: even a POST is retried.
    expect(client.metrics.retries).toBe(2);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    server = await startServer((req, res) => {
      if (req.headers.authorization === 'Bearer access-token-2') json(res, 200, { ok: true });
      else json(res, 401, { error: 'invalid_token', error_description: 'expired' });
    });
    const auth = new FakeAuth();
    const client = testClient(server.url, { auth });
    const res = await client.request('GET', '/x');
    expect(res.body).toEqual({ ok: true });
    expect(auth.refreshCalls).toEqual(['access-token-1']);
    expect(client.metrics.refreshes).toBe(1);
  });

  it('a second 401 is an AuthError (exit 4)', async () => {
    server = await startServer((_req, res) => json(res, 401, { error: 'invalid_token' }));
    const auth = new FakeAuth();
    const client = testClient(server.url, { auth });
    const err = await client.request('GET', '/x').catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.exitCode).toBe(4);
    expect(auth.refreshCalls).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('403 is an AuthError naming the MSP account, never retried', async () => {
    server = await startServer((_req, res) => json(res, 403, { message: 'Permission denied' }));
    const client = testClient(server.url, { auth: new FakeAuth() });
    const err = await client.request('GET', '/x').catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain(
      "either the token is not the MSP account's, or its role lacks the permission",
    );
    expect(server.requests).toHaveLength(1);
  });

  it('traces one line per attempt without secrets', async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n += 1;
      if (n === 1) text(res, 502, 'bad gateway');
      else
        json(
          res,
          200,
          { access_token: 'access-token-1' },
          {
            'X-RateLimit-Remaining-day': '4990',
            'X-RateLimit-Limit-day': '5000',
          },
        );
    });
    const lines: string[] = [];
    const client = testClient(server.url, { auth: new FakeAuth(), trace: (l) => lines.push(l) });
    await client.request('GET', '/oauth2/token', {
      query: { client_secret: 'client-secret-xyz', refresh_token: 'another-token', code: 'abc' },
    });
    const all = lines.join('\n');
    expect(all).not.toContain('client-secret-xyz');
    expect(all).not.toContain('another-token');
    expect(all).not.toContain('access-token-1');
    expect(lines[0]).toMatch(
      /^→ GET http:\/\/127\.0\.0\.1:\d+\/oauth2\/token\?client_secret=\*\*\*&refresh_token=\*\*\*&code=\*\*\*$/,
    );
    expect(lines.some((l) => /^← 502 GET \/oauth2\/token \d+ms$/.test(l))).toBe(true);
    expect(lines.some((l) => /^← 200 GET \/oauth2\/token \d+ms \(day 4990\/5000\)$/.test(l))).toBe(true);
  });

  it('rejects a 2xx body that claims JSON but is not', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{oops');
    });
    const err = await testClient(server.url)
      .request('GET', '/x')
      .catch((e) => e);
    expect(err.message).toContain('unexpected response from GET /x');
    expect(err.exitCode).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    server = await startServer((_req, res) => text(res, 503, 'down'));
    const controller = new AbortController();
    const client = testClient(server.url, {
      retryBaseMs: 5_000,
      retryCapMs: 5_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('stop')), 100);
    const err = await client.request('GET', '/x').catch((e) => e);
    expect(err.message).toBe('stop');
  });

  it('does not retry a 429 once the daily budget is spent', async () => {
    server = await startServer((_req, res) =>
      json(
        res,
        429,
        { message: 'API rate limit exceeded' },
        {
          'X-RateLimit-Limit-day': '5000',
          'X-RateLimit-Remaining-day': '0',
        },
      ),
    );
    const client = testClient(server.url);
    const err = await client.request('GET', '/x').catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.hint).toMatch(/daily API budget of 5000 calls is used up/);
    expect(server.requests).toHaveLength(1);
  });

  it('lets a mutating request in flight finish when the signal aborts, then stops', async () => {
    server = await startServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 200));
      json(res, 200, { response: 'success' });
    });
    const controller = new AbortController();
    const client = testClient(server.url, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const res = await client.request('POST', '/job', { body: { services: ['dm'] }, idempotent: true });
    expect(res.body).toEqual({ response: 'success' });
    // ...and nothing more starts.
    const err = await client.request('POST', '/job', { body: { services: ['dm'] } }).catch((e) => e);
    expect(err.message).toBe('stop');
    expect(server.requests).toHaveLength(1);
  });
});

// Requests one after the other share one connection (issue 13): undici returns a connection to
// its pool a turn of the event loop after the body ends, so a request made at once (the next call
// of a sequence, after synchronous work on the answer) would open a second one; with Central, a
// second TLS handshake. The client waits for that turn. A real server counts the connections.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStats } from '../../../src/central/schemas.js';
import { testClient } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function countingServer(): Promise<{ url: string; connections: () => number; requests: () => number }> {
  let connections = 0;
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ total: 10, available: 4, used: 6, non_subscribed_devices: 2 }));
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    requests: () => requests,
  };
}

describe('CentralClient connections', () => {
  it('sends requests made one after the other on one connection', async () => {
    const server = await countingServer();
    const client = testClient(server.url);
    const stats = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await client.request('GET', '/platform/licensing/v1/subscriptions/stats', {
        query: { service: 'foundation_ap' },
      });
      // What a command does with an answer before its next call: synchronous work, no await.
      stats.push(parseStats(res.body, 'foundation_ap'));
    }
    expect(stats.map((s) => s.licensesUsed)).toEqual([6, 6, 6]);
    expect(server.requests()).toBe(3);
    expect(server.connections()).toBe(1);
  });

  it('still opens one connection per request in flight at the same time', async () => {
    const server = await countingServer();
    const client = testClient(server.url);
    const answers = await Promise.all([1, 2, 3].map(() => client.request('GET', '/stats')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(server.requests()).toBe(3);
    expect(server.connections()).toBe(3);
  });
});

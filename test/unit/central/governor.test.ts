import { afterEach, describe, expect, it } from 'vitest';
import { RateGovernor } from '../../../src/central/governor.js';
import { CentralClient } from '../../../src/central/http.js';
import { json, startServer, type TestServer } from './helpers.js';

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('RateGovernor', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('never lets more than 7 requests reach the server in any 1000 ms window (25 concurrent)', async () => {
    // Uneven latency (a cold connection is slow, a warm one fast) must not bunch arrivals up.
    let n = 0;
    server = await startServer((_req, res) => {
      n += 1;
      setTimeout(() => json(res, 200, { ok: true }), n % 3 === 0 ? 150 : 0);
    });
    const governor = new RateGovernor();
    const starts: number[] = [];
    const client = new CentralClient({
      baseUrl: server.url,
      governor,
      trace: (l) => {
        if (l.startsWith('→')) starts.push(Date.now());
      },
    });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 25 }, () => client.request('GET', '/x')));
    const elapsed = Date.now() - t0;
    expect(server.requests).toHaveLength(25);
    expect(maxInWindow(starts, 1000)).toBeLessThanOrEqual(7);
    expect(
      maxInWindow(
        server.requests.map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(7);
    // 25 starts at 7 per window need at least three full windows, and not much more.
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(6000);
  });

  it('holds new starts until the next second when Remaining-second is 0, and tracks the day budget', async () => {
    let now = 10_250;
    const sleeps: number[] = [];
    const g = new RateGovernor({
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    (await g.acquire())();
    g.observe({
      'X-RateLimit-Remaining-second': '0',
      'x-ratelimit-remaining-day': '4990',
      'X-RateLimit-Limit-Day': '5000',
    });
    expect(g.dayRemaining).toBe(4990);
    expect(g.dayLimit).toBe(5000);
    (await g.acquire())();
    expect(now).toBe(11_000 + g.marginMs);
    expect(sleeps).toEqual([750 + g.marginMs]);
  });

  it('spends only what the server says is left of this second (another process used the rest)', async () => {
    let now = 20_100;
    const g = new RateGovernor({
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    (await g.acquire())();
    // Six calls of another process this second, plus ours: one left.
    g.observe({ 'X-RateLimit-Remaining-second': '1' });
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      (await g.acquire())();
      starts.push(now);
    }
    // One more now; the rest wait for the next second (then the usual window applies).
    expect(starts).toEqual([20_100, 21_000 + g.marginMs, 21_000 + g.marginMs]);
  });

  it('spaces starts by the sliding window with a fake clock', async () => {
    let now = 0;
    const g = new RateGovernor({
      perSecond: 3,
      marginMs: 10,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const release = await g.acquire();
      times.push(now);
      now += 5;
      release();
    }
    // Each slot is free again 1000 + 10 ms after its request was answered (5 ms after its start).
    expect(times).toEqual([0, 5, 10, 1015, 1020, 1025, 2030]);
  });

  it('waits for an unanswered request before reusing its slot', async () => {
    const g = new RateGovernor({ perSecond: 1, marginMs: 0 });
    const first = await g.acquire();
    let second = false;
    const pending = g.acquire().then((release) => {
      second = true;
      release();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(second).toBe(false);
    const released = Date.now();
    first();
    await pending;
    expect(Date.now() - released).toBeGreaterThanOrEqual(990);
  });
});

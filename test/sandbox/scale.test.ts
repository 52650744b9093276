import { describe, expect, it } from 'vitest';
import { get, sandbox } from './helpers.js';

describe('sandbox at scale', () => {
  it('starts 10,000 customers / 200,000 devices and answers stats without scanning devices', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const sb = await sandbox({ customers: 10_000, devices: 200_000 });
    const startMs = performance.now() - t0;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    expect(sb.estate.customers).toHaveLength(10_000);
    expect(sb.estate.devices.length).toBe(200_005);

    await get(sb, '/platform/licensing/v1/subscriptions/stats?service=foundation_ap'); // warm up
    const t1 = performance.now();
    const n = 50;
    for (let i = 0; i < n; i++) {
      const r = await get(sb, '/platform/licensing/v1/subscriptions/stats?service=foundation_ap', {
        TenantID: sb.estate.customers[i]!.customer_id,
      });
      expect(r.status).toBe(200);
    }
    const statsMs = (performance.now() - t1) / n;
    const all = await get(sb, '/platform/licensing/v1/subscriptions/stats?service=foundation_ap');
    expect(all.body.total).toBeGreaterThan(100_000);
    const t2 = performance.now();
    const page = await get(sb, '/msp_api/v1/customers?offset=9900&limit=100');
    const pageMs = performance.now() - t2;
    expect(page.body.customers).toHaveLength(100);
    console.log(
      `sandbox scale: start ${startMs.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB, ` +
        `stats ${statsMs.toFixed(2)} ms/call, customer page ${pageMs.toFixed(1)} ms`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { call, get, type Json, log, sandbox, sleep, state, until } from './helpers.js';

const JOB = '/platform/licensing/v1/msp/subscriptions/devices/all';
const STATS = '/platform/licensing/v1/subscriptions/stats';

describe('sandbox license job', () => {
  it('licenses devices over time and reports progress in stats and state', async () => {
    const sb = await sandbox({ customers: 10, devices: 300, preLicensed: 0, jobSpeed: 400 });
    const before = await get(sb, `${STATS}?service=foundation_ap`);
    const eligibleAps = before.body.non_subscribed_devices as number;
    expect(eligibleAps).toBeGreaterThan(0);
    expect(before.body.used).toBe(0);

    const r = await call(sb, 'POST', JOB, { body: { services: ['foundation_ap'] } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ response: 'success' });
    expect((await get(sb, `${STATS}?service=foundation_ap`)).body.used).toBe(0); // not yet

    await sleep(200);
    const mid = (await get(sb, `${STATS}?service=foundation_ap`)).body.used;
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(eligibleAps);

    const done = await until(
      () => get(sb, `${STATS}?service=foundation_ap`),
      (a) => a.body.used === eligibleAps,
    );
    expect(done.body).toMatchObject({
      non_subscribed_devices: 0,
      total: 1_000_000,
      available: 1_000_000 - eligibleAps,
    });
    const s = await until(
      () => state(sb),
      (st) => st.jobs[0].status === 'done',
    );
    expect(s.jobs[0]).toMatchObject({
      id: 1,
      verb: 'assign',
      services: ['foundation_ap'],
      processed: eligibleAps,
    });
    expect(s.services.foundation_ap).toMatchObject({ licensed: eligibleAps, tenantLicensed: eligibleAps });
    // The MSP's own devices are never assigned.
    expect(sb.estate.mspDevices.every((d) => d.services.length === 0)).toBe(true);
  });

  it('stops licensing when the licenses run out; state agrees', async () => {
    const sb = await sandbox({
      customers: 6,
      devices: 200,
      preLicensed: 0,
      licenses: { advanced_ap: 25 },
      jobSpeed: 1e6,
    });
    await call(sb, 'POST', JOB, { body: { services: ['advanced_ap', 'foundation_ap'] } });
    const s = await until(
      () => state(sb, true),
      (st) => st.jobs[0]?.status === 'done',
    );
    const eligibleAps =
      s.services.advanced_ap.eligible - sb.estate.mspDevices.filter((d) => d.device_type === 'IAP').length;
    expect(s.services.advanced_ap).toMatchObject({ quantity: 25, available: 0, licensed: 25 });
    expect(s.services.foundation_ap.licensed).toBe(eligibleAps);
    expect(s.jobs[0].skippedNoLicense).toBe(eligibleAps - 25);
    const stats = (await get(sb, `${STATS}?service=advanced_ap`)).body;
    expect(stats).toMatchObject({
      total: 25,
      used: 25,
      available: 0,
      non_subscribed_devices: eligibleAps - 25,
    });
    const perCustomerLicensed = Object.values(s.perCustomer as Record<string, Json>).reduce(
      (n, c) => n + (c.advanced_ap?.licensed ?? 0),
      0,
    );
    expect(perCustomerLicensed).toBe(25);
  });

  it('honours include_customers and exclude_customers', async () => {
    const sb = await sandbox({ customers: 5, devices: 200, preLicensed: 0, jobSpeed: 1e6 });
    const [a, b] = sb.estate.customers.map((c) => c.customer_id);
    await call(sb, 'POST', JOB, { body: { services: ['foundation_ap'], include_customers: [a] } });
    await call(sb, 'POST', JOB, { body: { services: ['foundation_switch_6300'], exclude_customers: [b] } });
    const s = await until(
      () => state(sb, true),
      (st) => st.jobs.every((j: Json) => j.status === 'done'),
    );
    for (const c of sb.estate.customers) {
      const pc = s.perCustomer[c.customer_id];
      const ap = pc.foundation_ap ?? { eligible: 0, licensed: 0 };
      expect(ap.licensed).toBe(c.customer_id === a ? ap.eligible : 0);
      const sw = pc.foundation_switch_6300 ?? { eligible: 0, licensed: 0 };
      expect(sw.licensed).toBe(c.customer_id === b ? 0 : sw.eligible);
    }
  });

  it('un-assigns from tenants and, by default, the MSP-owned devices; licenses come back', async () => {
    const sb = await sandbox({
      customers: 4,
      devices: 100,
      mspDevices: 10,
      preLicensed: 1,
      licenses: 500,
      jobSpeed: 1e6,
    });
    const held = (await state(sb)).services.foundation_ap.licensed;
    expect(sb.estate.mspDevices.some((d) => d.services.includes('foundation_ap'))).toBe(true);
    const c = sb.estate.customers[0]!.customer_id;
    await call(sb, 'DELETE', JOB, { body: { services: ['foundation_ap'], include_customers: [c] } });
    let s = await until(
      () => state(sb, true),
      (st) => st.jobs[0]?.status === 'done',
    );
    expect(s.perCustomer[c].foundation_ap?.licensed ?? 0).toBe(0);
    expect(s.services.foundation_ap.licensed).toBe(held - s.jobs[0].processed);

    await call(sb, 'DELETE', JOB, { body: { services: ['foundation_ap'] } });
    s = await until(
      () => state(sb),
      (st) => st.jobs[1]?.status === 'done',
    );
    expect(s.services.foundation_ap).toMatchObject({ licensed: 0, available: 500 });
    expect(sb.estate.mspDevices.every((d) => !d.services.includes('foundation_ap'))).toBe(true);
  });

  it('rejects bad bodies in Central shapes and too many ids with 413', async () => {
    const sb = await sandbox({ customers: 5, devices: 20, maxIdsPerRequest: 3 });
    const [a, b] = sb.estate.customers.map((c) => c.customer_id);
    const missing = await call(sb, 'POST', JOB, { body: { include_customers: [a] } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      description: 'Missing required field: services',
      error_code: '0001',
      service_name: 'licensing',
    });
    expect((await call(sb, 'POST', JOB, { body: { services: [] } })).status).toBe(400);
    const wrongCase = await call(sb, 'POST', JOB, { body: { services: ['Foundation_AP'] } });
    expect(wrongCase.status).toBe(400);
    expect(wrongCase.body.description).toContain('Foundation_AP');
    const both = await call(sb, 'POST', JOB, {
      body: { services: ['foundation_ap'], include_customers: [a], exclude_customers: [b] },
    });
    expect(both.status).toBe(400);
    const unknown = await call(sb, 'DELETE', JOB, {
      body: { services: ['foundation_ap'], include_customers: ['ffffffffffffffffffffffffffffffff'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.description).toContain('ffffffffffffffffffffffffffffffff');
    const big = await call(sb, 'POST', JOB, {
      body: { services: ['foundation_ap'], include_customers: sb.estate.customers.map((c) => c.customer_id) },
    });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ message: 'Request size limit exceeded' });
    expect((await state(sb)).jobs).toEqual([]);
  });

  it('records the exact JSON body of every POST/DELETE in the log', async () => {
    const sb = await sandbox({ customers: 3, devices: 10 });
    const a = sb.estate.customers[0]!.customer_id;
    const body = { services: ['foundation_ap', 'advanced_ap'], exclude_customers: [a] };
    await call(sb, 'POST', JOB, { body });
    await call(sb, 'DELETE', JOB, { body: { services: ['dm'] }, headers: { TenantID: a } });
    const l = await log(sb);
    expect(l.requests.map((r: Json) => r.body)).toEqual([body, { services: ['dm'] }]);
    expect(l.requests[1]).toMatchObject({ method: 'DELETE', path: JOB, status: 200, tenant: a });
  });
});

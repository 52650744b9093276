import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/sandbox/server.js';
import { eligible } from '../../src/sandbox/server.js';
import { get, sandbox } from './helpers.js';

const STATS = '/platform/licensing/v1/subscriptions/stats';

/** Devices lacking / holding the service among `devices`. */
function devices(list: Device[], service: string) {
  const fit = list.filter((d) => eligible(service, d));
  const held = fit.filter((d) => d.services.includes(service)).length;
  return { held, unlicensed: fit.length - held };
}

describe('sandbox subscription stats: exactly the attested fields', () => {
  it('total/available/used count licenses, non_subscribed_devices counts devices; nothing else', async () => {
    const sb = await sandbox({
      customers: 8,
      devices: 400,
      mspDevices: 6,
      preLicensed: 0.3,
      licenses: 777_777,
    });
    const { estate } = sb;
    const tenants = estate.devices.filter((d) => d.customer_id !== estate.mspId);
    for (const service of ['foundation_ap', 'foundation_switch_6300', 'foundation_70xx']) {
      const r = await get(sb, `${STATS}?service=${service}`);
      expect(r.status).toBe(200);
      const used = estate.devices.filter((d) => d.services.includes(service)).length;
      expect(r.body).toEqual({
        total: 777_777,
        available: 777_777 - used,
        used,
        non_subscribed_devices: devices(tenants, service).unlicensed,
        expiring: 0,
      });
    }
    // TenantID scopes the device counts (default variant).
    const c = estate.customers[3]!.customer_id;
    const one = await get(sb, `${STATS}?service=foundation_ap`, { TenantID: c });
    const mine = devices(estate.devicesByCustomer.get(c)!, 'foundation_ap');
    expect(one.body).toMatchObject({ used: mine.held, non_subscribed_devices: mine.unlicensed });
  });

  it('without a filter, or with license_type=all, the answer sums every service', async () => {
    const sb = await sandbox({ customers: 3, devices: 60, licenses: 10 });
    const all = await get(sb, `${STATS}?license_type=all`);
    const none = await get(sb, STATS);
    expect(all.body).toEqual(none.body);
    const one = await get(sb, `${STATS}?service=foundation_ap`);
    expect(all.body.total).toBeGreaterThan(one.body.total);
  });

  it('an unknown service is a 400 in Central error shape', async () => {
    const sb = await sandbox();
    const r = await get(sb, `${STATS}?service=foundation_AP`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: '0001', service_name: 'licensing' });
  });
});

describe('sandbox stats variants', () => {
  it('tenant-stats=ignored: TenantID changes nothing', async () => {
    const sb = await sandbox({ customers: 4, devices: 200, variants: { tenantStats: 'ignored' } });
    const wide = await get(sb, `${STATS}?service=foundation_ap`);
    const c = sb.estate.customers[1]!.customer_id;
    const one = await get(sb, `${STATS}?service=foundation_ap`, { TenantID: c });
    expect(one.body).toEqual(wide.body);
  });

  it('stats-filter=license_type: service= is ignored (the sum of all), license_type= filters', async () => {
    const sb = await sandbox({ customers: 4, devices: 200, variants: { statsFilter: 'license_type' } });
    const byService = await get(sb, `${STATS}?service=foundation_ap`);
    const byType = await get(sb, `${STATS}?license_type=foundation_ap`);
    const none = await get(sb, STATS);
    expect(byService.body).toEqual(none.body);
    expect(byType.body.non_subscribed_devices).toBeLessThan(none.body.non_subscribed_devices);
  });

  it("msp-in-wide=yes: the MSP's own unlicensed devices count MSP-wide", async () => {
    const options = { customers: 4, devices: 200, mspDevices: 7, preLicensed: 0 };
    const off = await sandbox(options);
    const on = await sandbox({ ...options, variants: { mspInWide: true } });
    const mspAps = devices(on.estate.mspDevices, 'foundation_ap').unlicensed;
    expect(mspAps).toBeGreaterThan(0);
    const a = await get(off, `${STATS}?service=foundation_ap`);
    const b = await get(on, `${STATS}?service=foundation_ap`);
    expect(b.body.non_subscribed_devices - a.body.non_subscribed_devices).toBe(mspAps);
  });

  it.each([401, 403, 405, 500] as const)(
    'services-v2=%s answers the v2 path with that status',
    async (status) => {
      const sb = await sandbox({ variants: { servicesV2: status } });
      expect((await get(sb, '/platform/licensing/v2/services/config')).status).toBe(status);
      expect((await get(sb, '/platform/licensing/v1/services/config')).status).toBe(200);
    },
  );
});

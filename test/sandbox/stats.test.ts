import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/sandbox/server.js';
import { eligible } from '../../src/sandbox/server.js';
import { get, sandbox } from './helpers.js';

const STATS = '/platform/licensing/v1/subscriptions/stats';

function expected(devices: Device[], service: string) {
  const fit = devices.filter((d) => eligible(service, d));
  const held = fit.filter((d) => d.services.includes(service)).length;
  return { total: fit.length, subscribed_devices: held, non_subscribed_devices: fit.length - held };
}

describe('sandbox subscription stats', () => {
  it('counts over all tenant devices without TenantID, one customer with it, the MSP with its id', async () => {
    const sb = await sandbox({ customers: 8, devices: 400, mspDevices: 6, preLicensed: 0.3, licenses: 1000 });
    const { estate } = sb;
    const tenants = estate.devices.filter((d) => d.customer_id !== estate.mspId);
    for (const service of ['foundation_ap', 'foundation_switch_6300', 'foundation_70xx', 'dm']) {
      const r = await get(sb, `${STATS}?service=${service}&license_type=all`);
      expect(r.status).toBe(200);
      const used = estate.devices.filter((d) => d.services.includes(service)).length;
      expect(r.body).toEqual({
        service,
        ...expected(tenants, service),
        expiring: 0,
        license_quantity: 1000,
        license_available: 1000 - used,
      });
    }
    const c = estate.customers[3]!.customer_id;
    const one = await get(sb, `${STATS}?service=foundation_ap`, { TenantID: c });
    expect(one.body).toMatchObject(expected(estate.devicesByCustomer.get(c)!, 'foundation_ap'));
    const msp = await get(sb, `${STATS}?service=foundation_ap`, { tenantid: estate.mspId });
    expect(msp.body).toMatchObject(expected(estate.mspDevices, 'foundation_ap'));
  });

  it('answers 400 for an unknown or missing service', async () => {
    const sb = await sandbox();
    const r = await get(sb, `${STATS}?service=foundation_AP`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: '0001', service_name: 'licensing' });
    expect((await get(sb, STATS)).status).toBe(400);
  });
});

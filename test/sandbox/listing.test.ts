import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../src/sandbox/estate.js';
import { eligible } from '../../src/sandbox/server.js';
import { get, type Json, sandbox } from './helpers.js';

describe('sandbox estate', () => {
  it('is deterministic from the seed', () => {
    const a = generateEstate({ seed: 7, customers: 30, devices: 400 });
    const b = generateEstate({ seed: 7, customers: 30, devices: 400 });
    const c = generateEstate({ seed: 8, customers: 30, devices: 400 });
    expect(JSON.stringify(a.customers)).toBe(JSON.stringify(b.customers));
    expect(JSON.stringify(a.devices)).toBe(JSON.stringify(b.devices));
    expect(a.customers[0]!.customer_id).not.toBe(c.customers[0]!.customer_id);
  });

  it('has unique 32-hex ids and names, unique serials, the documented device mix', () => {
    const e = generateEstate({ customers: 200, devices: 5000, mspDevices: 5 });
    expect(e.customers).toHaveLength(200);
    expect(e.devices).toHaveLength(5005);
    expect(e.mspDevices).toHaveLength(5);
    expect(new Set(e.customers.map((c) => c.customer_id)).size).toBe(200);
    expect(new Set(e.customers.map((c) => c.customer_name)).size).toBe(200);
    for (const c of e.customers) expect(c.customer_id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(e.devices.map((d) => d.serial)).size).toBe(5005);
    for (const d of e.devices) expect(d.serial).toMatch(/^CN[0-9A-Z]{8}$/);
    const share = (t: string) => e.devices.filter((d) => d.device_type === t).length / e.devices.length;
    expect(share('IAP')).toBeGreaterThan(0.55);
    expect(share('SWITCH')).toBeGreaterThan(0.25);
    expect(share('CONTROLLER')).toBeGreaterThan(0.07);
    const sizes = e.customers.map((c) => e.devicesByCustomer.get(c.customer_id)!.length);
    expect(Math.max(...sizes)).toBeGreaterThan(3 * Math.min(...sizes)); // uneven
    for (const d of e.mspDevices) expect(d).toMatchObject({ customer_id: e.mspId, customer_name: 'MSP' });
  });

  it('eligible() matches services to device types and models', () => {
    const ap = { device_type: 'IAP', model: 'AP-515' };
    const sw = { device_type: 'SWITCH', model: '6300M' };
    const gw = { device_type: 'CONTROLLER', model: '9004' };
    expect(eligible('foundation_ap', ap)).toBe(true);
    expect(eligible('advanced_ap', ap)).toBe(true);
    expect(eligible('foundation_ap', sw)).toBe(false);
    expect(eligible('foundation_switch_6300', sw)).toBe(true);
    expect(eligible('advanced_switch_6300', sw)).toBe(true);
    expect(eligible('foundation_switch_6400', sw)).toBe(false);
    expect(eligible('foundation_90xx_sec', gw)).toBe(true);
    expect(eligible('advance_70xx', gw)).toBe(false);
    expect(eligible('advance_70xx', { device_type: 'CONTROLLER', model: '7005' })).toBe(true);
    expect(eligible('foundation_72xx', { device_type: 'CONTROLLER', model: '7210' })).toBe(true);
    for (const s of ['dm', 'pa', 'ucc', 'foundation_wlan_gw', 'vgw_2g', 'storage_alletra_6k']) {
      expect(eligible(s, ap) || eligible(s, sw) || eligible(s, gw)).toBe(false);
    }
  });
});

describe('sandbox listings', () => {
  it('pages customers by item offset and silently caps limit', async () => {
    const sb = await sandbox({ customers: 250, devices: 300, maxPageSize: 100 });
    const first = await get(sb, '/msp_api/v1/customers?offset=0&limit=500');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(250);
    expect(first.body.customers).toHaveLength(100);
    const dflt = await get(sb, '/msp_api/v1/customers');
    expect(dflt.body.customers).toHaveLength(10);
    const last = await get(sb, '/msp_api/v1/customers?offset=200&limit=100');
    expect(last.body.customers).toHaveLength(50);
    expect(last.body.customers[0].customer_id).toBe(sb.estate.customers[200]!.customer_id);
    const c = first.body.customers[0];
    expect(Object.keys(c).sort()).toEqual(
      [
        'account_type',
        'created_at',
        'customer_id',
        'customer_name',
        'description',
        'group',
        'msp_id',
        'provision_status',
        'updated_at',
      ].sort(),
    );
    expect(c).toMatchObject({
      account_type: 'CUSTOMER',
      provision_status: 'PROVISIONED',
      msp_id: sb.credentials.customerId,
    });
    expect((await get(sb, '/msp_api/v1/customers?offset=-1')).status).toBe(400);
  });

  it('filters customers by name, case-insensitively, and honours customerNames (duplicates too)', async () => {
    const sb = await sandbox({ customers: 10, customerNames: ['Acme Dental', 'ACME dental', 'Other'] });
    const r = await get(sb, '/msp_api/v1/customers?customer_name=acme%20DENTAL');
    expect(r.body.total).toBe(2);
    expect(r.body.customers.map((c: Json) => c.customer_name)).toEqual(['Acme Dental', 'ACME dental']);
    expect(sb.estate.customers[2]!.customer_name).toBe('Other');
  });

  it("lists one customer's devices with a type filter; unknown customer is a 404 in Central's shape", async () => {
    const sb = await sandbox({ customers: 3, devices: 300 });
    const id = sb.estate.customers[0]!.customer_id;
    const all = sb.estate.devicesByCustomer.get(id)!;
    const r = await get(sb, `/msp_api/v1/customers/${id}/devices?offset=0&limit=5`);
    expect(r.body.status).toBe('success');
    expect(r.body.deviceList.total_devices).toBe(all.length);
    expect(r.body.deviceList.devices).toHaveLength(5);
    const d = r.body.deviceList.devices[0];
    for (const k of ['serial', 'macaddr', 'device_type', 'model', 'customer_id', 'customer_name']) {
      expect(d).toHaveProperty(k);
    }
    // No public client reads a license field from these lists: none is served.
    expect(d).not.toHaveProperty('services');
    const sw = await get(sb, `/msp_api/v1/customers/${id}/devices?limit=100&device_type=switch`);
    expect(sw.body.deviceList.total_devices).toBe(all.filter((x) => x.device_type === 'SWITCH').length);
    expect(sw.body.deviceList.devices.every((x: Json) => x.device_type === 'SWITCH')).toBe(true);
    const gw = await get(sb, `/msp_api/v1/customers/${id}/devices?limit=100&device_type=all_controller`);
    expect(gw.body.deviceList.devices.every((x: Json) => x.device_type === 'CONTROLLER')).toBe(true);
    const missing = await get(sb, '/msp_api/v1/customers/0123456789abcdef0123456789abcdef/devices');
    expect(missing.status).toBe(404);
    expect(Object.keys(missing.body).sort()).toEqual(['description', 'error_code', 'service_name']);
  });

  it('lists MSP-wide devices including the MSP-owned ones (pycentral: deviceList.devices, total_devices)', async () => {
    const sb = await sandbox({ customers: 5, devices: 50, mspDevices: 4 });
    const total = async (query: string) =>
      (await get(sb, `/msp_api/v1/devices?${query}`)).body.deviceList.total_devices;
    expect(await total('limit=100')).toBe(54);
    const own = (await get(sb, '/msp_api/v1/devices?device_allocation_status=2')).body.deviceList;
    expect(own.total_devices).toBe(4);
    expect(
      own.devices.every(
        (d: Json) => d.customer_id === sb.credentials.customerId && d.customer_name === 'MSP',
      ),
    ).toBe(true);
    expect(await total('device_allocation_status=1')).toBe(50);
    const name = sb.estate.customers[1]!.customer_name;
    expect(await total(`customer_name=${encodeURIComponent(name)}&limit=100`)).toBe(
      sb.estate.devicesByCustomer.get(sb.estate.customers[1]!.customer_id)!.length,
    );
  });

  it('serves the services config at v1; v2 is a 404 unless servicesV2', async () => {
    const sb = await sandbox();
    const v1 = await get(sb, '/platform/licensing/v1/services/config');
    expect(v1.status).toBe(200);
    expect(v1.body.foundation_ap).toMatchObject({ device_type: 'IAP' });
    expect(Object.keys(v1.body)).toEqual(
      expect.arrayContaining(['dm', 'advance_70xx', 'vgw_4g', 'zerto_dr', 'k8s_ezmeral']),
    );
    expect(Object.keys(v1.body)).toHaveLength(30);
    const v2 = await get(sb, '/platform/licensing/v2/services/config');
    expect(v2.status).toBe(404);
    expect(v2.body).toEqual({ description: 'Not found', error_code: '0404', service_name: 'licensing' });
    const filtered = await get(
      sb,
      '/platform/licensing/v1/services/config?device_type=SWITCH&service_category=advanced',
    );
    expect(Object.keys(filtered.body).sort()).toEqual([
      'advanced_switch_6100',
      'advanced_switch_6200',
      'advanced_switch_6300',
      'advanced_switch_6400',
    ]);

    const sb2 = await sandbox({ servicesV2: true, servicesWrapped: true });
    const w2 = await get(sb2, '/platform/licensing/v2/services/config');
    expect(w2.status).toBe(200);
    expect(Object.keys(w2.body)).toEqual(['data']);
    expect(w2.body.data.foundation_ap).toBeDefined();
    expect((await get(sb2, '/platform/licensing/v1/services/config')).body.data.dm).toBeDefined();
  });

  it('lists subscriptions; the auto-licensing status is a boolean (its wrapping is a variant)', async () => {
    const sb = await sandbox({ licenses: { foundation_ap: 3 }, preLicensed: 0 });
    const subs = await get(sb, '/platform/licensing/v1/subscriptions?limit=100');
    expect(subs.body.total).toBe(30);
    const ap = subs.body.subscriptions.find((s: Json) => s.license_type === 'foundation_ap');
    expect(ap).toMatchObject({ status: 'OK', quantity: 3, available: 3 });
    for (const k of ['subscription_key', 'sku', 'start_date', 'end_date', 'subscription_type'])
      expect(ap).toHaveProperty(k);
    const one = await get(sb, '/platform/licensing/v1/subscriptions?license_type=advanced_ap');
    expect(one.body.subscriptions.map((s: Json) => s.license_type)).toEqual(['advanced_ap']);
    // 3 licenses, more devices than that: "licenses outnumber devices" is false (paused).
    const status = await get(sb, '/platform/licensing/v1/autolicensing/services/foundation_ap/status');
    expect(status.body).toEqual({ status: false });
    expect((await get(sb, '/platform/licensing/v1/autolicensing/services/nope/status')).status).toBe(400);
  });
});

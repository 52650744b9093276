import { describe, expect, it } from 'vitest';
import {
  parseCustomersPage,
  parseDevicesPage,
  parseDownloadToken,
  parseLicenseJobAnswer,
  parseServices,
  parseStats,
  parseTokenAnswer,
} from '../../../src/central/schemas.js';
import { ApiError } from '../../../src/errors.js';

describe('schemas', () => {
  it('token answers, numbers from strings', () => {
    expect(
      parseTokenAnswer({ access_token: 'a', refresh_token: 'r', expires_in: '7200', token_type: 'bearer' }),
    ).toEqual({
      access_token: 'a',
      refresh_token: 'r',
      expires_in: 7200,
      token_type: 'bearer',
    });
    expect(() => parseTokenAnswer({ token: 'x' })).toThrow(ApiError);
  });

  it('the Download Token JSON, without echoing it in errors', () => {
    const t = parseDownloadToken(
      JSON.stringify({
        access_token: 'a',
        refresh_token: 'r',
        expires_in: 7200,
        token_type: 'bearer',
        scope: 'all',
        created_at: 1_700_000_000,
        appname: 'x',
      }),
    );
    expect(t).toMatchObject({ access_token: 'a', refresh_token: 'r', scope: 'all' });
    expect(t.created_at).toBe(new Date(1_700_000_000_000).toISOString());
    expect(() => parseDownloadToken('{"refresh_token":"secret-value"}')).toThrow(/no "access_token"/);
    try {
      parseDownloadToken('not json secret-value');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-value');
    }
  });

  it('services: keyed object, data-wrapped, lists', () => {
    const keyed = { dm: { service_category: 'dm', device_type: 'ALL', display_name: 'Device Management' } };
    const expected = [{ name: 'dm', category: 'dm', deviceType: 'ALL', displayName: 'Device Management' }];
    expect(parseServices(keyed, 'e')).toEqual(expected);
    expect(parseServices({ status: 'success', data: keyed }, 'e')).toEqual(expected);
    expect(parseServices(['dm', 'pa'], 'e').map((s) => s.name)).toEqual(['dm', 'pa']);
    expect(
      parseServices({ services: [{ service_name: 'dm', device_type: ['IAP', 'SWITCH'] }] }, 'e'),
    ).toEqual([{ name: 'dm', deviceType: 'IAP,SWITCH' }]);
    expect(() => parseServices({}, 'e')).toThrow(/unexpected response from e/);
    expect(() => parseServices('<html>', 'e')).toThrow(ApiError);
  });

  it('customers: lenient fields, numeric ids, records without id skipped', () => {
    const page = parseCustomersPage({
      customers: [
        {
          customer_id: 12,
          customer_name: 'A',
          provision_status: 'PROVISIONED',
          account_type: 'CUSTOMER',
          description: null,
        },
        { customer_name: 'no id' },
      ],
      total: '2',
    });
    expect(page).toEqual({
      items: [{ id: '12', name: 'A', provisionStatus: 'PROVISIONED', accountType: 'CUSTOMER' }],
      total: 2,
      skipped: 1,
    });
  });

  it('devices: the page total (deviceList.total_devices, pycentral reads it), records by serial', () => {
    const page = parseDevicesPage(
      {
        status: 'success',
        deviceList: { devices: [{ serial: 'A' }, { serial_number: 'B' }, {}], total_devices: 3 },
      },
      'e',
    );
    expect(page).toMatchObject({ total: 3, skipped: 1 });
    expect(page.items.map((d) => d.serial)).toEqual(['A', 'B']);
    expect(() => parseDevicesPage({ foo: 1 }, 'e')).toThrow(/no "devices" list/);
  });

  it('stats: licenses are licenses, devices are devices; invented fields are not read', () => {
    // Central Automation Studio reads exactly these (docs/central-contract.md).
    const s = { total: 777_777, available: 777_771, used: 6, non_subscribed_devices: 3, expiring: 0 };
    const expected = {
      service: 'foundation_ap',
      licensesTotal: 777_777,
      licensesAvailable: 777_771,
      licensesUsed: 6,
      unlicensedDevices: 3,
      expiring: 0,
    };
    expect(parseStats(s, 'foundation_ap')).toEqual(expected);
    expect(parseStats({ data: s }, 'foundation_ap')).toEqual(expected);
    expect(parseStats({ used: '10', non_subscribed_devices: '4' }, 'dm')).toEqual({
      service: 'dm',
      licensesUsed: 10,
      unlicensedDevices: 4,
    });
    // The fields the old sandbox invented decide nothing: without `used` the answer is refused.
    expect(() =>
      parseStats({ total: 1200, subscribed_devices: 200, non_subscribed_devices: 1000 }, 'dm'),
    ).toThrow(/no "used"/);
    expect(() => parseStats({ foo: 1 }, 'dm')).toThrow(ApiError);
  });

  it('license job answers never fail', () => {
    expect(parseLicenseJobAnswer({ response: 'success' })).toEqual({
      response: 'success',
      raw: { response: 'success' },
    });
    expect(parseLicenseJobAnswer(null)).toEqual({ raw: null });
    expect(parseLicenseJobAnswer('accepted')).toEqual({ message: 'accepted', raw: 'accepted' });
  });
});

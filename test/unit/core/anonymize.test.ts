import { describe, expect, it } from 'vitest';
import { Anonymizer, type Exchange } from '../../../src/core/anonymize.js';

const exchange = (body: unknown, extra: Partial<Exchange> = {}): Exchange => ({
  method: 'GET',
  path: '/x',
  query: {},
  status: 200,
  headers: {},
  body,
  ...extra,
});

describe('Anonymizer', () => {
  it('leaves nothing identifying, wherever and however it is written', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const body = {
      customers: [
        {
          customer_id: id,
          customer_name: 'Acme Dental',
          description: 'Call Jane Doe at +1 555 0100, 12 Main St',
          tenant_id: 424242,
          imei: '356938035643809',
          ip_address: '10.1.2.3',
          customerName: 'Acme Dental West',
          deviceName: 'lobby-ap',
          macaddr: '20:4c:03:aa:bb:cc',
        },
      ],
      // An id as a key, never as a value.
      byCustomer: { fedcba9876543210fedcba9876543210: { used: 3 } },
      note: 'see 20:4C:03:AA:BB:CC and 204c03aabbcc',
    };
    const [out] = new Anonymizer().exchanges([
      exchange(body, { path: `/msp_api/v1/customers/${id}/devices`, tenant: id }),
    ]);
    const text = JSON.stringify(out);
    for (const leak of [
      id,
      'Acme',
      'Jane',
      '555',
      'Main St',
      '424242',
      '356938035643809',
      '10.1.2.3',
      'lobby-ap',
      'fedcba9876543210fedcba9876543210',
      '20:4c:03:aa:bb:cc',
      '20:4C:03:AA:BB:CC',
      '204c03aabbcc',
    ]) {
      expect(text, leak).not.toContain(leak);
    }
    // Stable: the same value is the same placeholder everywhere (path, header, body).
    const placeholder = (out as Exchange & { body: any }).body.customers[0].customer_id;
    expect(out?.path).toBe(`/msp_api/v1/customers/${placeholder}/devices`);
    expect(out?.tenant).toBe(placeholder);
    // What is Central's own stays: service names, counts, error messages.
    const [kept] = new Anonymizer().exchanges([
      exchange({ foundation_ap: { display_name: 'Foundation AP' }, used: 5 }),
      exchange({ description: 'Invalid service', error_code: '0001', service_name: 'licensing' }),
    ]);
    expect(kept?.body).toEqual({ foundation_ap: { display_name: 'Foundation AP' }, used: 5 });
  });
});

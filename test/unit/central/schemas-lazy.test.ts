// src/central/schemas.ts builds each zod schema when a parser first needs it (issue 13): whichever
// parser runs first in a fresh process reads every answer as it does when all schemas are built,
// and a shape it cannot read fails with the same message. The expected messages are what the
// schemas built all at once (before the change) answered for the same bodies.
import { beforeEach, describe, expect, test, vi } from 'vitest';

type Schemas = typeof import('../../../src/central/schemas.js');
type Parser = Exclude<keyof Schemas, 'toIsoDate'>;

/** Real bodies, good and bad, for every parser that uses a schema. */
const CASES: [Parser, unknown[]][] = [
  [
    'parseTokenAnswer',
    [
      {
        access_token: 'a',
        refresh_token: 'r',
        expires_in: '7200',
        token_type: 'bearer',
        scope: 7,
        created_at: 1_700_000_000,
      },
    ],
  ],
  ['parseTokenAnswer', [{ data: { access_token: 'a', refresh_token: '', expires_in: 'soon' } }]],
  ['parseTokenAnswer', [{ access_token: '' }]],
  ['parseTokenAnswer', [{ token: 'x' }, 'POST /x']],
  ['parseTokenAnswer', ['{"access_token": 5}']],
  ['parseDownloadToken', ['{"access_token":"a","refresh_token":"r","created_at":"2026-01-01T00:00:00Z"}']],
  ['parseDownloadToken', ['{"refresh_token":"secret"}']],
  ['parseAuthCode', [{ auth_code: 'c' }, 'POST /a']],
  ['parseAuthCode', [{ auth_code: '' }, 'POST /a']],
  ['parseAuthCode', [[1], 'POST /a']],
  [
    'parseServices',
    [
      {
        foundation_ap: { service_category: 'foundation', device_type: ['IAP', 'AP'], display_name: 'F' },
        x: 'X',
        y: { category: 3 },
        z: { device_type: 5 },
      },
      'e',
    ],
  ],
  ['parseServices', [{ services: [{ name: 'a', category: 'c' }, 'b', { service_name: 5 }] }, 'e']],
  [
    'parseCustomersPage',
    [
      {
        customers: [
          { customer_id: 12, customer_name: 'A', group: { name: 'g' }, msp_id: 3 },
          { customer_name: 'no id' },
          { customer_id: 'x', group: 'bad', provision_status: 1 },
        ],
        total: '3',
      },
    ],
  ],
  ['parseCustomersPage', [{ data: { customers: null, total_count: 0 } }]],
  ['parseCustomersPage', [{ total: 1 }]],
  ['parseCustomersPage', [{ customers: 'x' }, 'GET /c']],
  [
    'parseDevicesPage',
    [
      {
        deviceList: {
          devices: [{ serial: 'S1', macaddr: 'm', device_type: 'IAP' }, { mac: 'x' }],
          total_devices: '2',
        },
      },
      'e',
    ],
  ],
  ['parseDevicesPage', [{ devices: [{ serial_number: 7, customer_id: 9 }], total: 1 }, 'e']],
  ['parseDevicesPage', [{ deviceList: 'x', devices: 'y' }, 'e']],
  ['parseDevicesPage', [{ foo: 1 }, 'e']],
  ['parseDevicesPage', [{ devices: [{}], count: 'x' }, 'e']],
  [
    'parseStats',
    [{ total: '10', available: 4, used: 6, non_subscribed_devices: '2', expiring: null }, 'foundation_ap'],
  ],
  ['parseStats', [{ data: { used: 'x', non_subscribed_devices: 1 } }, 's']],
  ['parseStats', [{ foo: 1 }, 's', 'GET /stats']],
  ['parseStats', [[], 's']],
  ['parseStats', ['oops', 's']],
  ['parseLicenseJobAnswer', [{ response: 'success', message: 7 }]],
  ['parseLicenseJobAnswer', [{ status: 'ok' }]],
  ['parseLicenseJobAnswer', [[1, 2]]],
  ['parseLicenseJobAnswer', ['  done  ']],
];

/** What a parser answered, or the message and hint it threw. */
function outcome(schemas: Schemas, [parser, args]: [Parser, unknown[]]): unknown {
  try {
    return { value: (schemas[parser] as (...a: unknown[]) => unknown)(...args) };
  } catch (error) {
    const e = error as Error & { hint?: string };
    return { error: e.message, hint: e.hint, type: e.constructor.name };
  }
}

/** A fresh copy of the module: none of its schemas built yet. */
async function fresh(): Promise<Schemas> {
  vi.resetModules();
  return import('../../../src/central/schemas.js');
}

describe('schemas built on first use', () => {
  let warm: unknown[];
  beforeEach(async () => {
    // Every parser run once, so that every schema is built, then every case read.
    const schemas = await fresh();
    for (const c of CASES) outcome(schemas, c);
    warm = CASES.map((c) => outcome(schemas, c));
  });

  test.each(CASES.map((c, i) => [`${c[0]} #${i}`, i] as const))(
    '%s as the first parse of a fresh module reads as with every schema built',
    async (_label, i) => {
      const schemas = await fresh();
      expect(outcome(schemas, CASES[i] as [Parser, unknown[]])).toEqual(warm[i]);
    },
  );

  test('the shapes it cannot read fail with the messages of the schemas built all at once', async () => {
    const schemas = await fresh();
    const messages = CASES.map((c) => outcome(schemas, c))
      .map((o, i) => [i, (o as { error?: string }).error] as const)
      .filter(([, error]) => error !== undefined);
    expect(messages).toEqual([
      [
        2,
        'unexpected response from POST /oauth2/token: access_token: Too small: expected string to have >=1 characters',
      ],
      [
        3,
        'unexpected response from POST /x: access_token: Invalid input: expected string, received undefined',
      ],
      [
        4,
        'unexpected response from POST /oauth2/token: access_token: Invalid input: expected string, received number',
      ],
      [6, 'the token JSON has no "access_token" (expected the JSON from "Download Token")'],
      [8, 'unexpected response from POST /a: auth_code: Too small: expected string to have >=1 characters'],
      [9, 'unexpected response from POST /a: body: Invalid input: expected object, received array'],
      [14, 'unexpected response from GET /msp_api/v1/customers: no "customers" list'],
      [15, 'unexpected response from GET /c: customers: Invalid input: expected array, received string'],
      [18, 'unexpected response from e: no "devices" list'],
      [19, 'unexpected response from e: no "devices" list'],
      [
        22,
        'unexpected response from GET /platform/licensing/v1/subscriptions/stats: no "used" and "non_subscribed_devices" counts',
      ],
      [23, 'unexpected response from GET /stats: no "used" and "non_subscribed_devices" counts'],
      [
        24,
        'unexpected response from GET /platform/licensing/v1/subscriptions/stats: body: Invalid input: expected object, received array',
      ],
      [
        25,
        'unexpected response from GET /platform/licensing/v1/subscriptions/stats: body: Invalid input: expected object, received string',
      ],
    ]);
  });
});

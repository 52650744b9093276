// doctor, the pure part: from the answers of its read-only calls, each check's verdict and what
// it says (and what is learned). No I/O: the calls are made in ../doctor.ts.
// Over 250 lines for a reason: one small function per check, each mostly the sentences it says;
// apart, a check and its texts would be read in two places.
import { isRecord } from '../../core/json.js';

export type Verdict = 'ok' | 'warn' | 'fail' | 'unknown';

export interface Check {
  id: string;
  title: string;
  verdict: Verdict;
  detail: string;
}

/** An answer as doctor keeps it (any status is accepted; nothing is thrown). */
export interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Customers summed one by one to learn whether MSP-wide counts include the MSP's own devices. */
export const MSP_SUM_LIMIT = 25;

export const RATE_HEADERS = [
  'x-ratelimit-limit-day',
  'x-ratelimit-remaining-day',
  'x-ratelimit-limit-second',
  'x-ratelimit-remaining-second',
];

const check = (id: string, title: string, verdict: Verdict, detail: string): Check => ({
  id,
  title,
  verdict,
  detail,
});

export const num = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

export interface StatsCounts {
  total?: number;
  used?: number;
  unlicensed?: number;
}

/** The counts of a 2xx stats answer that has them; anything else (an error, another shape) teaches nothing. */
export function statsOf(res: { status: number; body: unknown }): StatsCounts | undefined {
  if (res.status >= 300) return undefined;
  const value = isRecord(res.body) && isRecord(res.body.data) ? res.body.data : res.body;
  if (!isRecord(value)) return undefined;
  const counts = {
    total: num(value.total),
    used: num(value.used),
    unlicensed: num(value.non_subscribed_devices),
  };
  return counts.used === undefined || counts.unlicensed === undefined ? undefined : counts;
}

export const sameStats = (a?: StatsCounts, b?: StatsCounts): boolean =>
  Boolean(a && b) && a?.total === b?.total && a?.used === b?.used && a?.unlicensed === b?.unlicensed;

/** 1. The token and the services path, from the v2 answer and (when v2 refused) the v1 answer. */
export function servicesChecks(v2Status: number, v1Status?: number): Check[] {
  if (v2Status < 300) {
    return [
      check('token', 'token valid', 'ok', 'an authenticated call succeeded'),
      check('services', 'services path', 'ok', 'v2 (the documented path)'),
    ];
  }
  if (v1Status !== undefined && v1Status < 300) {
    return [
      check('token', 'token valid', 'ok', 'an authenticated call succeeded'),
      check('services', 'services path', 'ok', `v1 (the documented v2 path answered HTTP ${v2Status})`),
    ];
  }
  return [
    check(
      'token',
      'token valid',
      v1Status === 401 ? 'fail' : 'unknown',
      `services answered HTTP ${v1Status}`,
    ),
    check('services', 'services list', 'fail', `v2 answered HTTP ${v2Status}, v1 HTTP ${v1Status}`),
  ];
}

/** The names a services answer lists, and the foundation service the stats checks ask about. */
export function foundationService(body: unknown): string | undefined {
  const names = isRecord(body) ? Object.keys(isRecord(body.data) ? body.data : body) : [];
  return (
    names.find((s) => s.toLowerCase() === 'foundation_ap') ?? names.find((s) => s.startsWith('foundation'))
  );
}

export interface CustomersPage {
  customers: Array<{ id: string }>;
  total?: number;
  checks: Check[];
}

/** 2. An MSP token (the customers list answers), and the page cap. */
export function customersChecks(page: { status: number; body: unknown }): CustomersPage {
  if (page.status === 403) {
    return {
      customers: [],
      checks: [
        check(
          'msp',
          'MSP token',
          'fail',
          'the customers list answered HTTP 403: not an MSP token, or a role without MSP permissions',
        ),
      ],
    };
  }
  if (page.status >= 300) {
    return {
      customers: [],
      checks: [check('msp', 'MSP token', 'fail', `the customers list answered HTTP ${page.status}`)],
    };
  }
  const body = isRecord(page.body) && isRecord(page.body.data) ? page.body.data : page.body;
  const list = isRecord(body) && Array.isArray(body.customers) ? body.customers : [];
  const customers = list.flatMap((c) =>
    isRecord(c) && (typeof c.customer_id === 'string' || typeof c.customer_id === 'number')
      ? [{ id: String(c.customer_id) }]
      : [],
  );
  const total = isRecord(body) ? num(body.total) : undefined;
  const expected = Math.min(100, total ?? 0);
  return {
    customers,
    ...(total === undefined ? {} : { total }),
    checks: [
      check('msp', 'MSP token', 'ok', `the customers list answers (${total ?? '?'} customers)`),
      check(
        'page-cap',
        'customers page size',
        customers.length < expected ? 'warn' : 'ok',
        customers.length < expected
          ? `a page of 100 came back with ${customers.length}: the gateway caps pages at ${customers.length} (msp-license pages by what it gets)`
          : `a page of 100 served in full (${customers.length})`,
      ),
    ],
  };
}

/** 2. The rate-limit headers of an answer. */
export function rateHeadersCheck(headers: Record<string, string | undefined>): Check {
  const rate = RATE_HEADERS.filter((h) => headers[h] !== undefined);
  return check(
    'rate-headers',
    'rate-limit headers',
    rate.length === RATE_HEADERS.length ? 'ok' : 'warn',
    rate.length === RATE_HEADERS.length
      ? `day ${headers['x-ratelimit-remaining-day']}/${headers['x-ratelimit-limit-day']} left`
      : `missing: ${RATE_HEADERS.filter((h) => !rate.includes(h)).join(', ')} (the day-budget check before --wait is skipped)`,
  );
}

/** 3. The stats shape (the unfiltered answer's counts, or undefined). */
export function statsShapeCheck(status: number, counts: StatsCounts | undefined): Check {
  return check(
    'stats-shape',
    'stats shape',
    counts ? 'ok' : 'fail',
    counts
      ? '"used" and "non_subscribed_devices" present (device counts), "total" the license pool'
      : `HTTP ${status}; no numeric "used" and "non_subscribed_devices"`,
  );
}

/** 3. Which parameter filters the stats by service: the one whose answer differs from the unfiltered one. */
export function statsFilterCheck(
  service: string,
  all: StatsCounts | undefined,
  byService: StatsCounts | undefined,
  byType: StatsCounts | undefined,
): { check: Check; filter?: 'service' | 'license_type'; wide?: StatsCounts } {
  const serviceWorks = byService !== undefined && !sameStats(byService, all);
  const typeWorks = byType !== undefined && !sameStats(byType, all);
  return {
    ...(serviceWorks || typeWorks
      ? {
          filter: serviceWorks ? ('service' as const) : ('license_type' as const),
          wide: serviceWorks ? byService : byType,
        }
      : {}),
    check: check(
      'stats-filter',
      'stats service filter',
      serviceWorks || typeWorks ? 'ok' : 'unknown',
      serviceWorks && typeWorks
        ? `both service= and license_type= filter by service (${service})`
        : serviceWorks
          ? `service= filters (license_type=${service} is ignored)`
          : typeWorks
            ? `license_type= filters (service=${service} is ignored)`
            : `neither parameter changed the answer for ${service}: cannot tell (msp-license sends both)`,
    ),
  };
}

/** 3. No filter check possible: why. */
export const statsFilterUnknown = (shapeOk: boolean): Check =>
  check(
    'stats-filter',
    'stats service filter',
    'unknown',
    shapeOk ? 'no foundation service in the services list' : 'the stats shape is unknown',
  );

/** 4. Does TenantID scope the stats? `verdict` from two tenants' answers against the MSP-wide one. */
export function tenantStatsCheck(verdict: 'scoped' | 'ignored' | undefined, bothAnswered: boolean): Check {
  return check(
    'tenant-stats',
    'TenantID scopes stats',
    verdict === 'scoped' ? 'ok' : verdict === 'ignored' ? 'warn' : 'unknown',
    verdict === 'scoped'
      ? 'two tenants answer their own counts'
      : verdict === 'ignored'
        ? 'two tenants answer the MSP-wide counts: TenantID is ignored; per-customer counts are unknown and --wait on a partial scope ends "settled"'
        : bothAnswered
          ? 'the two tenants cannot tell (one holds every device)'
          : 'a tenant-scoped stats call was refused',
  );
}

/** 4. Not asked: fewer than two customers, or no working filter. */
export const tenantStatsUnknown = (customers: number): Check =>
  check(
    'tenant-stats',
    'TenantID scopes stats',
    'unknown',
    customers < 2 ? 'needs two customers' : 'needs the stats filter',
  );

/**
 * 5. Are the MSP's own devices counted MSP-wide? The tenants' unlicensed sum against the MSP-wide
 * count. Only a difference proves something: equal sums may just mean the MSP has no unlicensed
 * device of this kind today, so MSP-wide figures stay upper bounds then (nothing learned).
 */
export function mspInWideCheck(
  service: string,
  wideUnlicensed: number,
  sum: number,
  complete: boolean,
): { check: Check; mspInWide?: true } {
  return {
    ...(complete && wideUnlicensed > sum ? { mspInWide: true as const } : {}),
    check: check(
      'msp-in-wide',
      "MSP's own devices MSP-wide",
      !complete ? 'unknown' : wideUnlicensed >= sum ? 'ok' : 'warn',
      !complete
        ? 'a tenant-scoped stats call was refused'
        : wideUnlicensed === sum
          ? `no difference for ${service}: the MSP-wide count equals the tenants' (the MSP may simply have no unlicensed device of this kind); MSP-wide figures stay upper bounds`
          : wideUnlicensed > sum
            ? `MSP-wide counts include ${wideUnlicensed - sum} unlicensed devices that are no tenant's (the MSP's own): MSP-wide figures are upper bounds`
            : `the tenants' sum (${sum}) exceeds the MSP-wide count (${wideUnlicensed}): inconsistent answers`,
    ),
  };
}

/** 5. Not asked: stats not scoped per tenant, or one call per customer would cost too much. */
export const mspInWideUnknown = (scoped: boolean, total: number | undefined): Check =>
  check(
    'msp-in-wide',
    "MSP's own devices MSP-wide",
    'unknown',
    !scoped
      ? 'needs stats scoped per tenant'
      : `would cost one call per customer (${total ?? '?'} > ${MSP_SUM_LIMIT}); MSP-wide figures stay upper bounds`,
  );

/** 6. The device inventory's license fields (Central Automation Studio reads `services`). */
export function inventoryCheck(res: { status: number; body: unknown }): Check {
  const devices = isRecord(res.body) && Array.isArray(res.body.devices) ? res.body.devices : undefined;
  if (res.status >= 300 || !devices) {
    return check(
      'inventory',
      'device license fields',
      'unknown',
      `the device inventory answered HTTP ${res.status}${devices ? '' : ' without a "devices" list'}`,
    );
  }
  const fields = ['services', 'tier_type', 'subscription_key'].filter((f) =>
    devices.some((d) => isRecord(d) && f in d),
  );
  return check(
    'inventory',
    'device license fields',
    fields.includes('services') ? 'ok' : devices.length === 0 ? 'unknown' : 'warn',
    devices.length === 0
      ? 'no device in the inventory'
      : `device records carry: ${fields.join(', ') || 'none of services, tier_type, subscription_key'}`,
  );
}

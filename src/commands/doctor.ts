// doctor: on a live tenant, a handful of read-only calls that check what msp-license depends on
// and settle the behaviours no public source settles (docs/central-contract.md, "Unknowns"). What
// it learns is kept in the profile's cache (facts.json), so later runs use the right variant.
// `--record FILE` keeps the raw answers with every identifying value replaced, for a bug report;
// `msp-license sandbox --replay FILE` serves them again.
import { writeFileSync } from 'node:fs';
import type { CentralClient } from '../central/http.js';
import { writeCache } from '../config/cache.js';
import type { Context } from '../context.js';
import { Anonymizer, type Exchange } from '../core/anonymize.js';
import { isRecord } from '../core/json.js';
import { ApiError, CancelledError, CliError, UsageError } from '../errors.js';
import type { DoctorOptions } from '../flags.js';
import { table } from '../ui/format.js';
import { confirm } from '../ui/prompt.js';
import { cacheKey } from './shared/data.js';
import { type GatewayFacts, saveFacts } from './shared/facts.js';
import { tenantScoping } from './shared/measure.js';

export type Verdict = 'ok' | 'warn' | 'fail' | 'unknown';

export interface Check {
  id: string;
  title: string;
  verdict: Verdict;
  detail: string;
}

export interface DoctorResult {
  gateway: string;
  profile?: string;
  checks: Check[];
  /** What was learned and stored for later runs. */
  learned: GatewayFacts;
  apiCalls: number;
  recorded?: string;
}

const PATHS = {
  servicesV2: '/platform/licensing/v2/services/config',
  servicesV1: '/platform/licensing/v1/services/config',
  customers: '/msp_api/v1/customers',
  stats: '/platform/licensing/v1/subscriptions/stats',
  inventory: '/platform/device_inventory/v1/devices',
};
/** Customers summed one by one to learn whether MSP-wide counts include the MSP's own devices. */
const MSP_SUM_LIMIT = 25;
const BASE_CALLS = 9;
const ANY = Array.from({ length: 300 }, (_, i) => 300 + i).filter((s) => s !== 429);
const RATE_HEADERS = [
  'x-ratelimit-limit-day',
  'x-ratelimit-remaining-day',
  'x-ratelimit-limit-second',
  'x-ratelimit-remaining-second',
];

const num = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

interface StatsCounts {
  total?: number;
  used?: number;
  unlicensed?: number;
}

/** The counts of a 2xx stats answer that has them; anything else (an error, another shape) teaches nothing. */
function statsOf(res: { status: number; body: unknown }): StatsCounts | undefined {
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

const sameStats = (a?: StatsCounts, b?: StatsCounts) =>
  Boolean(a && b) && a?.total === b?.total && a?.used === b?.used && a?.unlicensed === b?.unlicensed;

class Recorder {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly client: CentralClient) {}

  async get(path: string, query: Record<string, string> = {}, tenant?: string) {
    const res = await this.client.request<unknown>('GET', path, {
      query,
      ...(tenant ? { tenantId: tenant } : {}),
      acceptStatus: ANY,
    });
    const headers = Object.fromEntries(
      RATE_HEADERS.flatMap((h) => (res.headers[h] ? [[h, res.headers[h]]] : [])),
    );
    this.exchanges.push({
      method: 'GET',
      path,
      query,
      ...(tenant ? { tenant } : {}),
      status: res.status,
      headers,
      body: res.body,
    });
    return res;
  }
}

export async function run(ctx: Context, options: DoctorOptions): Promise<DoctorResult> {
  const session = ctx.session();
  const { io } = ctx;
  const plan = `doctor makes about ${BASE_CALLS} read-only API calls (and one per customer, up to ${MSP_SUM_LIMIT}, when that few exist), nothing that changes anything.`;
  if (io.interactive && !options.yes) {
    io.info(plan);
    if (!(await confirm(io, 'Make these calls now?', true)))
      throw new CancelledError('Cancelled: no call was made.');
  } else {
    io.info(plan);
  }
  if (options.record === '') throw new UsageError('--record needs a file name.');

  const checks: Check[] = [];
  const add = (id: string, title: string, verdict: Verdict, detail: string) =>
    checks.push({ id, title, verdict, detail });
  const learned: GatewayFacts = {};
  const rec = new Recorder(session.client);

  // 1. The gateway answers and the token works (an error here ends the run: exit 6 or 4).
  const v2 = await rec.get(PATHS.servicesV2);
  add('gateway', 'gateway reachable', 'ok', session.baseUrl);
  let servicesBody = v2.body;
  let path: 'v1' | 'v2' = 'v2';
  if (v2.status >= 300) {
    const v1 = await rec.get(PATHS.servicesV1);
    servicesBody = v1.body;
    path = 'v1';
    if (v1.status >= 300) {
      add(
        'token',
        'token valid',
        v1.status === 401 ? 'fail' : 'unknown',
        `services answered HTTP ${v1.status}`,
      );
      add('services', 'services list', 'fail', `v2 answered HTTP ${v2.status}, v1 HTTP ${v1.status}`);
    } else {
      add('token', 'token valid', 'ok', 'an authenticated call succeeded');
      add('services', 'services path', 'ok', `v1 (the documented v2 path answered HTTP ${v2.status})`);
    }
  } else {
    add('token', 'token valid', 'ok', 'an authenticated call succeeded');
    add('services', 'services path', 'ok', 'v2 (the documented path)');
  }
  if (checks.every((c) => c.id !== 'services' || c.verdict === 'ok')) {
    writeCache(ctx.dir, cacheKey(session), 'services-path', session.baseUrl, { path });
  }
  const serviceNames = isRecord(servicesBody)
    ? Object.keys(isRecord(servicesBody.data) ? servicesBody.data : servicesBody)
    : [];
  const service =
    serviceNames.find((s) => s.toLowerCase() === 'foundation_ap') ??
    serviceNames.find((s) => s.startsWith('foundation'));

  // 2. An MSP token: the customers list answers; the page cap; the rate-limit headers.
  const page = await rec.get(PATHS.customers, { offset: '0', limit: '100' });
  let customers: Array<{ id: string }> = [];
  let total: number | undefined;
  if (page.status === 403) {
    add(
      'msp',
      'MSP token',
      'fail',
      'the customers list answered HTTP 403: not an MSP token, or a role without MSP permissions',
    );
  } else if (page.status >= 300) {
    add('msp', 'MSP token', 'fail', `the customers list answered HTTP ${page.status}`);
  } else {
    const body = isRecord(page.body) && isRecord(page.body.data) ? page.body.data : page.body;
    const list = isRecord(body) && Array.isArray(body.customers) ? body.customers : [];
    customers = list.flatMap((c) =>
      isRecord(c) && (typeof c.customer_id === 'string' || typeof c.customer_id === 'number')
        ? [{ id: String(c.customer_id) }]
        : [],
    );
    total = isRecord(body) ? num(body.total) : undefined;
    add('msp', 'MSP token', 'ok', `the customers list answers (${total ?? '?'} customers)`);
    const expected = Math.min(100, total ?? 0);
    add(
      'page-cap',
      'customers page size',
      customers.length < expected ? 'warn' : 'ok',
      customers.length < expected
        ? `a page of 100 came back with ${customers.length}: the gateway caps pages at ${customers.length} (msp-license pages by what it gets)`
        : `a page of 100 served in full (${customers.length})`,
    );
  }
  const rate = RATE_HEADERS.filter((h) => page.headers[h] !== undefined);
  add(
    'rate-headers',
    'rate-limit headers',
    rate.length === RATE_HEADERS.length ? 'ok' : 'warn',
    rate.length === RATE_HEADERS.length
      ? `day ${page.headers['x-ratelimit-remaining-day']}/${page.headers['x-ratelimit-limit-day']} left`
      : `missing: ${RATE_HEADERS.filter((h) => !rate.includes(h)).join(', ')} (the day-budget check before --wait is skipped)`,
  );

  // 3. The stats shape, and which parameter filters it by service.
  const all = await rec.get(PATHS.stats, { license_type: 'all' });
  const allStats = statsOf(all);
  const shapeOk = allStats !== undefined;
  add(
    'stats-shape',
    'stats shape',
    shapeOk ? 'ok' : 'fail',
    shapeOk
      ? '"used" and "non_subscribed_devices" present (device counts), "total" the license pool'
      : `HTTP ${all.status}; no numeric "used" and "non_subscribed_devices"`,
  );
  let wide: StatsCounts | undefined;
  if (shapeOk && service) {
    const byService = statsOf(await rec.get(PATHS.stats, { service }));
    const byType = statsOf(await rec.get(PATHS.stats, { license_type: service }));
    const serviceWorks = byService !== undefined && !sameStats(byService, allStats);
    const typeWorks = byType !== undefined && !sameStats(byType, allStats);
    if (serviceWorks || typeWorks) {
      learned.statsFilter = serviceWorks ? 'service' : 'license_type';
      wide = serviceWorks ? byService : byType;
    }
    add(
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
    );
  } else {
    add(
      'stats-filter',
      'stats service filter',
      'unknown',
      shapeOk ? 'no foundation service in the services list' : 'the stats shape is unknown',
    );
  }

  // 4. Does TenantID scope the stats? Two tenants against the MSP-wide answer.
  const filterQuery = (s: string): Record<string, string> =>
    learned.statsFilter === 'license_type' ? { license_type: s } : { service: s };
  const counts = (s?: StatsCounts) => ({
    service: service ?? '',
    licensed: s?.used ?? 0,
    unlicensed: s?.unlicensed ?? 0,
  });
  if (wide && service && customers.length >= 2) {
    const [a, b] = customers as [{ id: string }, { id: string }];
    const ra = statsOf(await rec.get(PATHS.stats, filterQuery(service), a.id));
    const rb = statsOf(await rec.get(PATHS.stats, filterQuery(service), b.id));
    // An error answer for a tenant teaches nothing about scoping.
    const verdict = ra && rb ? tenantScoping([counts(wide)], [[counts(ra)], [counts(rb)]]) : undefined;
    if (verdict) learned.tenantStats = verdict;
    add(
      'tenant-stats',
      'TenantID scopes stats',
      verdict === 'scoped' ? 'ok' : verdict === 'ignored' ? 'warn' : 'unknown',
      verdict === 'scoped'
        ? 'two tenants answer their own counts'
        : verdict === 'ignored'
          ? 'two tenants answer the MSP-wide counts: TenantID is ignored; per-customer counts are unknown and --wait on a partial scope ends "settled"'
          : ra && rb
            ? 'the two tenants cannot tell (one holds every device)'
            : 'a tenant-scoped stats call was refused',
    );

    // 5. Are the MSP's own devices counted MSP-wide? The tenants' sum against the MSP-wide count.
    if (verdict === 'scoped' && total !== undefined && total <= MSP_SUM_LIMIT && customers.length >= total) {
      let sum = (ra?.unlicensed ?? 0) + (rb?.unlicensed ?? 0);
      let complete = true;
      for (const c of customers.slice(2)) {
        const r = statsOf(await rec.get(PATHS.stats, filterQuery(service), c.id));
        if (!r) complete = false;
        sum += r?.unlicensed ?? 0;
      }
      const wideUnlicensed = wide.unlicensed ?? 0;
      // Only a difference proves something: equal sums may just mean the MSP has no unlicensed
      // device of this kind today, so MSP-wide figures stay upper bounds then (nothing stored).
      if (complete && wideUnlicensed > sum) learned.mspInWide = true;
      add(
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
      );
    } else {
      add(
        'msp-in-wide',
        "MSP's own devices MSP-wide",
        'unknown',
        verdict !== 'scoped'
          ? 'needs stats scoped per tenant'
          : `would cost one call per customer (${total ?? '?'} > ${MSP_SUM_LIMIT}); MSP-wide figures stay upper bounds`,
      );
    }
  } else {
    add(
      'tenant-stats',
      'TenantID scopes stats',
      'unknown',
      customers.length < 2 ? 'needs two customers' : 'needs the stats filter',
    );
    add('msp-in-wide', "MSP's own devices MSP-wide", 'unknown', 'needs stats scoped per tenant');
  }

  // 6. The device inventory's license fields (Central Automation Studio reads `services`).
  const inventory = await rec.get(PATHS.inventory, { limit: '5', offset: '0' });
  const devices =
    isRecord(inventory.body) && Array.isArray(inventory.body.devices) ? inventory.body.devices : undefined;
  if (inventory.status >= 300 || !devices) {
    add(
      'inventory',
      'device license fields',
      'unknown',
      `the device inventory answered HTTP ${inventory.status}${devices ? '' : ' without a "devices" list'}`,
    );
  } else {
    const fields = ['services', 'tier_type', 'subscription_key'].filter((f) =>
      devices.some((d) => isRecord(d) && f in d),
    );
    add(
      'inventory',
      'device license fields',
      fields.includes('services') ? 'ok' : devices.length === 0 ? 'unknown' : 'warn',
      devices.length === 0
        ? 'no device in the inventory'
        : `device records carry: ${fields.join(', ') || 'none of services, tier_type, subscription_key'}`,
    );
  }

  const stored = Object.keys(learned).length ? saveFacts(ctx, session, learned, 'doctor') : learned;
  let recorded: string | undefined;
  if (options.record) {
    const anonymizer = new Anonymizer();
    anonymizer.remember([...session.client.secrets(), session.profile?.clientId]);
    const file = {
      recordedBy: 'msp-license doctor',
      recordedAt: new Date().toISOString(),
      exchanges: anonymizer.exchanges(rec.exchanges),
    };
    try {
      writeFileSync(options.record, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new ApiError(`Cannot write ${options.record}: ${(error as Error).message}`);
    }
    recorded = options.record;
  }
  const result: DoctorResult = {
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    checks,
    learned: stored,
    apiCalls: session.client.metrics.calls,
    ...(recorded ? { recorded } : {}),
  };
  if (checks.some((c) => c.verdict === 'fail')) {
    if (!io.json) render(result, ctx);
    throw new CliError(`doctor found ${checks.filter((c) => c.verdict === 'fail').length} problem(s).`, 1, {
      code: 'doctor_failed',
      hint: 'Each failed check says what answered; run with --verbose to see the calls.',
    });
  }
  return result;
}

const MARK: Record<Verdict, string> = { ok: '✓', warn: '!', fail: '✗', unknown: '?' };

export function render(result: DoctorResult, ctx: Context): void {
  const { io } = ctx;
  const color = { ok: 'green', warn: 'yellow', fail: 'red', unknown: 'dim' } as const;
  io.out(`Central at ${result.gateway}${result.profile ? ` (profile ${result.profile})` : ''}`);
  const rows = result.checks.map((c) => [
    `${io.styleOut(color[c.verdict], MARK[c.verdict])} ${c.title}`,
    c.detail,
  ]);
  for (const line of table(rows, [{}, {}])) io.out(line);
  io.info(
    `${result.apiCalls} API calls.${Object.keys(result.learned).length ? ' What was learned is kept for later runs of this profile.' : ''}`,
  );
  if (result.recorded) io.info(`Answers recorded (nothing identifying left) in ${result.recorded}.`);
}

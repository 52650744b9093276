// doctor: on a live tenant, a handful of read-only calls that check what msp-license depends on
// and settle the behaviours no public source settles (docs/central-contract.md, "Unknowns"). What
// it learns is kept in the profile's cache (facts.json), so later runs use the right variant.
// `--record FILE` keeps the raw answers with every identifying value replaced, for a bug report;
// `msp-license sandbox --replay FILE` serves them again.
import { writeCache } from '../config/cache.js';
import type { Context } from '../context.js';
import { CancelledError, CliError, UsageError } from '../errors.js';
import type { DoctorOptions } from '../flags.js';
import { confirm } from '../ui/prompt.js';
import { Recorder } from './doctor/recorder.js';
import { render } from './doctor/render.js';
import {
  type Check,
  customersChecks,
  foundationService,
  inventoryCheck,
  MSP_SUM_LIMIT,
  mspInWideCheck,
  mspInWideUnknown,
  rateHeadersCheck,
  type StatsCounts,
  servicesChecks,
  statsFilterCheck,
  statsFilterUnknown,
  statsOf,
  statsShapeCheck,
  tenantStatsCheck,
  tenantStatsUnknown,
} from './doctor/verdicts.js';
import { cacheKey } from './shared/data.js';
import { type GatewayFacts, saveFacts } from './shared/facts.js';
import { tenantScoping } from './shared/measure.js';

export { render } from './doctor/render.js';
export type { Check, Verdict } from './doctor/verdicts.js';

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
const BASE_CALLS = 9;

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
  const learned: GatewayFacts = {};
  const rec = new Recorder(session.client);

  // 1. The gateway answers and the token works (an error here ends the run: exit 6 or 4).
  const v2 = await rec.get(PATHS.servicesV2);
  checks.push({ id: 'gateway', title: 'gateway reachable', verdict: 'ok', detail: session.baseUrl });
  const v1 = v2.status >= 300 ? await rec.get(PATHS.servicesV1) : undefined;
  checks.push(...servicesChecks(v2.status, v1?.status));
  if (checks.every((c) => c.id !== 'services' || c.verdict === 'ok')) {
    writeCache(ctx.dir, cacheKey(session), 'services-path', session.baseUrl, { path: v1 ? 'v1' : 'v2' });
  }
  const service = foundationService((v1 ?? v2).body);

  // 2. An MSP token: the customers list answers; the page cap; the rate-limit headers.
  const page = await rec.get(PATHS.customers, { offset: '0', limit: '100' });
  const { customers, total, checks: customerChecks } = customersChecks(page);
  checks.push(...customerChecks, rateHeadersCheck(page.headers));

  // 3. The stats shape, and which parameter filters it by service.
  const all = await rec.get(PATHS.stats, { license_type: 'all' });
  const allStats = statsOf(all);
  checks.push(statsShapeCheck(all.status, allStats));
  let wide: StatsCounts | undefined;
  if (allStats && service) {
    const byService = statsOf(await rec.get(PATHS.stats, { service }));
    const byType = statsOf(await rec.get(PATHS.stats, { license_type: service }));
    const filter = statsFilterCheck(service, allStats, byService, byType);
    if (filter.filter) learned.statsFilter = filter.filter;
    wide = filter.wide;
    checks.push(filter.check);
  } else {
    checks.push(statsFilterUnknown(allStats !== undefined));
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
    checks.push(tenantStatsCheck(verdict, Boolean(ra && rb)));

    // 5. Are the MSP's own devices counted MSP-wide? The tenants' sum against the MSP-wide count.
    if (verdict === 'scoped' && total !== undefined && total <= MSP_SUM_LIMIT && customers.length >= total) {
      let sum = (ra?.unlicensed ?? 0) + (rb?.unlicensed ?? 0);
      let complete = true;
      for (const c of customers.slice(2)) {
        const r = statsOf(await rec.get(PATHS.stats, filterQuery(service), c.id));
        if (!r) complete = false;
        sum += r?.unlicensed ?? 0;
      }
      const inWide = mspInWideCheck(service, wide.unlicensed ?? 0, sum, complete);
      if (inWide.mspInWide) learned.mspInWide = true;
      checks.push(inWide.check);
    } else {
      checks.push(mspInWideUnknown(verdict === 'scoped', total));
    }
  } else {
    checks.push(tenantStatsUnknown(customers.length), mspInWideUnknown(false, total));
  }

  // 6. The device inventory's license fields (Central Automation Studio reads `services`).
  checks.push(inventoryCheck(await rec.get(PATHS.inventory, { limit: '5', offset: '0' })));

  const stored = Object.keys(learned).length ? saveFacts(ctx, session, learned, 'doctor') : learned;
  if (options.record) rec.save(options.record, [...session.client.secrets(), session.profile?.clientId]);
  const result: DoctorResult = {
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    checks,
    learned: stored,
    apiCalls: session.client.metrics.calls,
    ...(options.record ? { recorded: options.record } : {}),
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

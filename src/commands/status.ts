// status: license coverage of a scope, per service and per customer — what an operator checks the
// morning after a cron run. Takes the same scope flags as assign (ids or names, list files, stdin).
// Cost: one tenant-wide stats call per service, plus one per service and in-scope customer for
// the per-customer view (and the exact in-scope totals) while that stays within a budget; past
// it, the in-scope totals come from the cheaper side of the scope, as assign's plan does.
import { fetchStats } from '../central/api.js';
import { readHistoryEvents, type StoredEvent } from '../config/history.js';
import type { Context, Session } from '../context.js';
import type { CustomerRef } from '../core/customers.js';
import type { StatusOptions } from '../flags.js';
import { count, plural, table } from '../ui/format.js';
import {
  loadCustomers,
  loadServices,
  resolveScope,
  resolveServices,
  scopeReferences,
} from './shared/data.js';
import { loadFacts } from './shared/facts.js';
import { measureScope } from './shared/measure.js';

/** Most per-customer stats calls status spends for the per-customer view. */
export const PER_CUSTOMER_BUDGET = 300;
/** Most stats calls status spends for in-scope totals when the per-customer view is skipped. */
const IN_SCOPE_BUDGET = 200;

export interface CoverageRow {
  service: string;
  licensed: number;
  eligible: number;
  /** Eligible devices without the license. */
  missing: number;
  /** Whole percent of eligible devices licensed, rounded down (100 only when complete). */
  percent: number;
}

export interface LastJob {
  id: string;
  time: string;
  verb: string;
  services: string[];
  outcome?: string;
  requests?: number;
}

export interface StatusResult {
  gateway: string;
  profile?: string;
  scope: { mode: string; customersInScope: number; listed: CustomerRef[] };
  /** Whether the per-service rows count only the scope (else they are tenant-wide). */
  countsInScope: boolean;
  /** Device counts per service, and the licenses of the pool not consumed. */
  services: Array<CoverageRow & { licensesAvailable?: number }>;
  customers?: Array<{ id: string; name: string; services: CoverageRow[] }>;
  lastJob?: LastJob;
  /** Auto-licensing per service, from the cache (or asked now with --refresh-autolicense). */
  autolicense?: Array<{ service: string; mspDefault: boolean | null; paused: boolean | null; ageMs: number }>;
  note?: string;
  apiCalls: number;
}

const pct = (licensed: number, eligible: number) =>
  eligible === 0 ? 100 : Math.floor((Math.min(licensed, eligible) / eligible) * 100);

/** Devices holding the service (`used`) and devices lacking it (`non_subscribed_devices`). */
const row = (service: string, c: { licensed: number; unlicensed: number }): CoverageRow => ({
  service,
  licensed: c.licensed,
  eligible: c.licensed + c.unlicensed,
  missing: c.unlicensed,
  percent: pct(c.licensed, c.licensed + c.unlicensed),
});

/** The newest job this profile sent, from the local history (free: no API call). */
function lastJob(dir: string, profile: string | undefined, gateway: string): LastJob | undefined {
  let events: StoredEvent[];
  try {
    events = readHistoryEvents(dir).events;
  } catch {
    return undefined;
  }
  const e = [...events].reverse().find((r) => (r.profile ?? undefined) === profile && r.gateway === gateway);
  if (!e) return undefined;
  return {
    id: e.id,
    time: e.time,
    verb: e.verb,
    services: e.services,
    ...(e.event === 'result' && e.outcome !== undefined ? { outcome: e.outcome } : {}),
    ...(e.event === 'result' && e.requests ? { requests: e.requests.length } : {}),
  };
}

/** Auto-licensing of `services`: the MSP default and the pause state, cached or asked now (1 + S calls). */
async function autolicenseState(
  ctx: Context,
  session: Session,
  services: string[],
  refresh: boolean,
): Promise<StatusResult['autolicense']> {
  const al = await import('./autolicense-status.js');
  if (refresh) {
    await al.fetchMspDefault(ctx, session);
    await al.fetchPauses(ctx, session, services);
  }
  const settings = al.readAutoLicenseCache(ctx, session);
  const pauses = al.readPauseCache(ctx, session);
  const mspId = (await loadCustomers(ctx, session)).data.find((c) => c.mspId)?.mspId;
  const msp = mspId ? settings[mspId] : undefined;
  const now = Date.now();
  const out = services.flatMap((service) => {
    const pause = pauses[service];
    if (!msp && !pause) return [];
    return [
      {
        service,
        mspDefault: msp?.services ? msp.services.includes(service) : null,
        paused: pause?.paused ?? null,
        ageMs: now - Math.min(msp?.fetchedAt ?? now, pause?.fetchedAt ?? now),
      },
    ];
  });
  return out.length ? out : undefined;
}

export async function run(ctx: Context, options: StatusOptions): Promise<StatusResult> {
  const references = scopeReferences(options, ctx.io);
  const session = ctx.session();
  const explicit = Boolean(options.services?.length);
  const candidates = explicit
    ? await resolveServices(ctx, session, options.services ?? [])
    : (await loadServices(ctx, session)).data.filter((s) => s.central).map((s) => s.name);
  const { scope, all } = await resolveScope(ctx, session, references);

  // Tenant-wide first (one call per service): without --services, only the services some device
  // is eligible for are worth the per-customer calls.
  const { statsFilter } = loadFacts(ctx, session);
  const wideAll = await Promise.all(
    candidates.map((service) => fetchStats(session.client, service, { filter: statsFilter })),
  );
  const keep = wideAll.map((w) => explicit || w.licensesUsed + w.unlicensedDevices > 0);
  const services = candidates.filter((_, i) => keep[i]);
  const mspWide = wideAll.filter((_, i) => keep[i]);

  const notes: string[] = [];
  const perCustomerCost = scope.inScope.length * services.length;
  const measure =
    perCustomerCost <= PER_CUSTOMER_BUDGET
      ? await measureScope(ctx, session, services, scope, all, {
          budget: PER_CUSTOMER_BUDGET,
          perCustomer: true,
          mspWide,
          signal: ctx.abort.signal,
        })
      : await measureScope(ctx, session, services, scope, all, {
          budget: IN_SCOPE_BUDGET,
          mspWide,
          signal: ctx.abort.signal,
        });
  if (perCustomerCost > PER_CUSTOMER_BUDGET && scope.inScope.length > 0) {
    notes.push(
      `Per-customer view skipped: ${count(scope.inScope.length)} customers × ${plural(services.length, 'service')} would cost ${count(perCustomerCost)} API calls (budget ${PER_CUSTOMER_BUDGET}); narrow the scope or --services.`,
    );
  }
  if (!measure.inScope) {
    notes.push(
      `Counts are tenant-wide: ${measure.reason ?? 'the in-scope share would cost too many API calls'}.`,
    );
  } else if (measure.reason) {
    notes.push(`Counts are upper bounds: ${measure.reason}.`);
  }

  let rows = services.map((service, i) => {
    const counts = measure.inScope?.[i] ?? {
      service,
      licensed: mspWide[i]!.licensesUsed,
      unlicensed: mspWide[i]!.unlicensedDevices,
    };
    const available = mspWide[i]?.licensesAvailable;
    return {
      ...row(service, counts),
      ...(available === undefined ? {} : { licensesAvailable: available }),
    };
  });
  // Without --services, a service no device in scope is eligible for is noise.
  if (!explicit && measure.inScope) rows = rows.filter((r) => r.eligible > 0 || r.licensed > 0);
  const shown = new Set(rows.map((r) => r.service));

  const customers = measure.perCustomer
    ? scope.inScope.map((c) => ({
        id: c.id,
        name: c.name,
        services: (measure.perCustomer?.get(c.id) ?? [])
          .filter((s) => shown.has(s.service))
          .map((s) => row(s.service, s)),
      }))
    : undefined;
  const last = lastJob(ctx.dir, session.profileName, session.baseUrl);
  const autolicense = await autolicenseState(
    ctx,
    session,
    rows.map((r) => r.service),
    Boolean(options.refreshAutolicense),
  );
  return {
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    scope: { mode: scope.mode, customersInScope: scope.inScope.length, listed: scope.listed },
    countsInScope: Boolean(measure.inScope),
    services: rows,
    ...(customers ? { customers } : {}),
    ...(last ? { lastJob: last } : {}),
    ...(autolicense ? { autolicense } : {}),
    ...(notes.length ? { note: notes.join(' ') } : {}),
    apiCalls: session.client.metrics.calls,
  };
}

function bar(percent: number, width = 16): string {
  const filled = Math.min(width, Math.round((percent / 100) * width));
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function render(result: StatusResult, ctx: Context): void {
  const { io } = ctx;
  const paint = (p: number, text: string) =>
    io.styleOut(p >= 100 ? 'green' : p >= 50 ? 'yellow' : 'red', text);
  // Bars on a terminal only: a file or pipe gets the numbers.
  const useBar = io.stdoutTTY && io.stdoutColor;
  const customers = result.customers ?? [];
  // One table for the services and every customer's rows, so that all align; a customer's rows
  // are printed under its name, further down.
  const cells = (label: string, r: CoverageRow) => [
    label,
    `${count(r.licensed)} / ${count(r.eligible)}`,
    `${paint(r.percent, `${useBar ? `${bar(r.percent)} ` : ''}${String(r.percent).padStart(3)}%`)}${r.missing ? `  (${count(r.missing)} devices unlicensed)` : ''}`,
  ];
  const rows: Array<{ of: CoverageRow; cells: string[] }> = [
    ...result.services.map((r) => ({ of: r, cells: cells(r.service, r) })),
    ...customers.flatMap((c) => c.services.map((r) => ({ of: r, cells: cells(`  ${r.service}`, r) }))),
  ];
  const [header = '', ...lines] = table(
    rows.map((r) => r.cells),
    [{ header: 'SERVICE', min: 7 }, { header: 'DEVICES LICENSED / ELIGIBLE', align: 'right' }, {}],
  );
  const lineOf = new Map(rows.map((r, i) => [r.of, lines[i] ?? '']));
  const line = (r: CoverageRow) => lineOf.get(r) ?? '';

  // One customer in scope: the summary is that customer's table; it is not repeated below.
  const only = customers.length === 1 && result.scope.customersInScope === 1 ? customers[0] : undefined;
  const scopeText = only
    ? `${only.name} (${only.id})`
    : result.scope.mode === 'all'
      ? `all ${count(result.scope.customersInScope)} customers`
      : `${plural(result.scope.customersInScope, 'customer')}${result.scope.mode === 'exclude' ? ` (all but ${count(result.scope.listed.length)})` : ''}`;
  io.out(
    `License coverage of ${scopeText}${result.countsInScope ? '' : ' (tenant-wide counts)'} — ${result.profile ? `profile ${result.profile}, ` : ''}${result.gateway}`,
  );
  if (result.services.length === 0) {
    io.out('No device in scope is eligible for any of these services.');
  } else {
    const free = (r: { licensesAvailable?: number }) =>
      r.licensesAvailable === undefined ? '' : `  ${count(r.licensesAvailable)} licenses free`;
    io.out(header);
    for (const r of result.services) io.out(`${line(r)}${free(r)}`);
  }
  // Per customer: the incomplete ones first (what needs attention), the complete ones counted.
  const withDevices = customers.filter((c) => c.services.some((s) => s.eligible > 0));
  const incomplete = withDevices.filter((c) => c.services.some((s) => s.missing > 0));
  const complete = withDevices.length - incomplete.length;
  for (const customer of only ? [] : incomplete) {
    io.out(`\n${customer.name} (${customer.id})`);
    for (const r of customer.services.filter((s) => s.eligible > 0)) io.out(line(r));
  }
  if (result.customers && !only) {
    io.out(
      `\n${count(complete)} of ${count(withDevices.length)} customers with eligible devices fully licensed${incomplete.length ? `; ${count(incomplete.length)} not (above)` : ''}.`,
    );
  }
  for (const a of result.autolicense ?? []) {
    const ago = a.ageMs < 60_000 ? 'just now' : `${Math.round(a.ageMs / 60_000)} min ago`;
    io.out(
      `auto-licensing ${a.service}: MSP default ${a.mspDefault === null ? 'unknown' : a.mspDefault ? 'on' : 'off'}, ${a.paused === null ? 'pause state unknown' : a.paused ? 'PAUSED (fewer licenses than devices)' : 'running'} (as of ${ago})`,
    );
  }
  if (result.lastJob) {
    const j = result.lastJob;
    io.info(
      io.style(
        'dim',
        `Last job from this machine: ${j.verb} ${j.services.join(', ')} at ${j.time}${j.outcome ? ` — ${j.outcome}` : ''} ('msp-license history' for more).`,
      ),
    );
  }
  if (result.note) io.info(io.style('dim', result.note));
}

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;

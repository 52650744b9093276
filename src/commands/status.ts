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
import { count, plural } from '../ui/format.js';
import { fetchMspDefault, fetchPauses, readAutoLicenseCache, readPauseCache } from './shared/autolicense.js';
import { loadServices, mspIdOf, resolveScope, resolveServices, scopeReferences } from './shared/data.js';
import { loadFacts } from './shared/facts.js';
import { measureScope } from './shared/measure.js';
import {
  type AutoLicenseLine,
  autoLicenseLines,
  type CoverageRow,
  coverageRow,
  type LastJob,
  lastJobOf,
} from './status/coverage.js';

export type { CoverageRow, LastJob } from './status/coverage.js';
export { render } from './status/render.js';

/** Most per-customer stats calls status spends for the per-customer view. */
export const PER_CUSTOMER_BUDGET = 300;
/** Most stats calls status spends for in-scope totals when the per-customer view is skipped. */
const IN_SCOPE_BUDGET = 200;

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
  autolicense?: AutoLicenseLine[];
  note?: string;
  apiCalls: number;
}

/** The newest job this profile sent, from the local history (free: no API call). */
function lastJob(dir: string, profile: string | undefined, gateway: string): LastJob | undefined {
  let events: StoredEvent[];
  try {
    events = readHistoryEvents(dir).events;
  } catch {
    return undefined;
  }
  return lastJobOf(events, profile, gateway);
}

/** Auto-licensing of `services`: the MSP default and the pause state, cached or asked now (1 + S calls). */
async function autolicenseState(
  ctx: Context,
  session: Session,
  services: string[],
  refresh: boolean,
): Promise<StatusResult['autolicense']> {
  if (refresh) {
    await fetchMspDefault(ctx, session);
    await fetchPauses(ctx, session, services);
  }
  const settings = readAutoLicenseCache(ctx, session);
  const pauses = readPauseCache(ctx, session);
  // The id from the customers list only: a report spends no call to find it.
  const mspId = await mspIdOf(ctx, session, { call: false });
  const out = autoLicenseLines(services, mspId ? settings[mspId] : undefined, pauses, Date.now());
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
      ...coverageRow(service, counts),
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
          .map((s) => coverageRow(s.service, s)),
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

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;

// autolicense status: per service, the MSP default (what new tenants inherit), which tenants in
// scope have auto-licensing on or off, and whether Central has paused it for want of licenses.
// Central answers one customer per call, so the answers are cached (6 h, with their age), the
// cost is said before it is spent, and a cost beyond what is left of the day needs --yes.
import { fetchAutoLicense, fetchStats } from '../central/api.js';
import type { Context } from '../context.js';
import type { CustomerRef } from '../core/customers.js';
import { from, pool } from '../core/pool.js';
import { RateLimitError } from '../errors.js';
import type { AutolicenseStatusOptions } from '../flags.js';
import { count, plural } from '../ui/format.js';
import { startProgress } from '../ui/spinner.js';
import {
  type CustomerSetting,
  callsNeeded,
  customerSettings,
  type ServiceState,
  serviceState,
  servicesNamed,
} from './autolicense/states.js';
import {
  fetchPauses,
  freshSetting,
  readAutoLicenseCache,
  writeAutoLicenseCache,
} from './shared/autolicense.js';
import { mspIdOf, resolveScope, resolveServices, scopeReferences } from './shared/data.js';
import { loadFacts } from './shared/facts.js';

export { render } from './autolicense/render.js';
export type { ServiceState } from './autolicense/states.js';

/** Calls left untouched today by autolicense status unless --yes. */
const DAY_RESERVE = 50;

export interface AutoLicenseStatusResult {
  gateway: string;
  profile?: string;
  scope: { mode: string; customersInScope: number; listed: CustomerRef[] };
  mspId?: string;
  services: ServiceState[];
  customers: CustomerSetting[];
  /** Customers answered from the cache, and the oldest answer's age. */
  cached: number;
  oldestMs: number;
  apiCalls: number;
}

export async function run(ctx: Context, options: AutolicenseStatusOptions): Promise<AutoLicenseStatusResult> {
  const references = scopeReferences(options, ctx.io);
  const session = ctx.session();
  const { io } = ctx;
  const explicit = options.services?.length
    ? await resolveServices(ctx, session, options.services)
    : undefined;
  const { scope } = await resolveScope(ctx, session, references);
  const mspId = await mspIdOf(ctx, session);
  const now = Date.now();
  const cache = readAutoLicenseCache(ctx, session);
  const ids = [...(mspId ? [mspId] : []), ...scope.inScope.map((c) => c.id)];
  const toFetch = ids.filter((id) => !freshSetting(cache, id, now, options.refresh));

  // The cost, said first; past what is left of today's budget it needs --yes.
  // Without --services, the services are those the answers name: the cached ones say how many.
  const calls = callsNeeded(toFetch.length, explicit?.length, cache);
  io.info(
    `autolicense status: ${plural(toFetch.length, 'customer call')}` +
      ` (${count(ids.length - toFetch.length)} cached) + 2 per service.`,
  );
  // What is left of the day is known from any answer's X-RateLimit-Remaining-day: the first
  // customer's answer, when nothing was asked yet in this run.
  let next = 0;
  const fetchOne = async (id: string) => {
    cache[id] = { services: (await fetchAutoLicense(session.client, id)) ?? null, fetchedAt: Date.now() };
  };
  if (session.client.metrics.dayRemaining === undefined && toFetch.length > 1) {
    await fetchOne(toFetch[next++] as string);
  }
  const left = session.client.metrics.dayRemaining;
  // A reserve is kept: a status report should not be what empties the day's budget.
  if (left !== undefined && calls - next > left - DAY_RESERVE && !options.yes) {
    writeAutoLicenseCache(ctx, session, cache);
    throw new RateLimitError(
      `autolicense status needs about ${count(calls)} API calls but only ${count(left)} are left today.`,
      {
        retryable: false,
        hint: 'Narrow the scope, wait for the reset at midnight GMT, or add --yes to spend them anyway.',
      },
    );
  }

  const spinner =
    toFetch.length > 0
      ? await startProgress(io, `asking Central: 0 / ${toFetch.length} customers`)
      : undefined;
  if (spinner) ctx.onCleanup(() => spinner.stop());
  let done = next;
  const work = async (id: string) => {
    ctx.abort.signal.throwIfAborted();
    await fetchOne(id);
    done++;
    if (done % 25 === 0) writeAutoLicenseCache(ctx, session, cache);
    // About ten progress lines in a log, however many customers; every answer on a terminal.
    if (io.spinner || done % Math.max(1, Math.ceil(toFetch.length / 10)) === 0 || done === toFetch.length) {
      spinner?.update(`asking Central: ${done} / ${toFetch.length} customers`);
    }
  };
  try {
    await pool(from(toFetch.slice(next)), 3, work);
  } finally {
    if (toFetch.length) writeAutoLicenseCache(ctx, session, cache);
    spinner?.stop();
  }

  const customers = customerSettings(scope.inScope, cache, now);
  const mspSetting = mspId ? (cache[mspId]?.services ?? null) : null;
  const names = explicit ?? servicesNamed(mspSetting, customers);
  const { statsFilter } = loadFacts(ctx, session);
  const pauses = await fetchPauses(ctx, session, names);
  const services: ServiceState[] = [];
  for (const service of names) {
    const stats = await fetchStats(session.client, service, { filter: statsFilter });
    services.push(serviceState(service, customers, mspSetting, pauses, stats));
  }
  const ages = ids.map((id) => now - (cache[id]?.fetchedAt ?? now));
  return {
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    scope: { mode: scope.mode, customersInScope: scope.inScope.length, listed: scope.listed },
    ...(mspId ? { mspId } : {}),
    services,
    customers,
    cached: ids.length - toFetch.length,
    oldestMs: Math.max(0, ...ages),
    apiCalls: session.client.metrics.calls,
  };
}

/** A report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;

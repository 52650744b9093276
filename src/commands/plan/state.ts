// plan's state reading (shared by plan and apply): the policy resolved against the customers list
// (fetched now: groups change outside this tool) and the services list, then what Central says per
// tenant and service (stats with TenantID) and per tenant on auto-licensing (cached 6 h, as
// `autolicense status`), within the day budget, the cost said before it is spent.
import { fetchAutoLicense, fetchStats, type ServiceStats } from '../../central/api.js';
import type { Context, Session } from '../../context.js';
import { from, pool } from '../../core/pool.js';
import { RateLimitError, UsageError } from '../../errors.js';
import type { Policy } from '../../policy/parse.js';
import { type Counts, type Observed, type PolicyPlan, planPolicy } from '../../policy/plan.js';
import { type Desired, resolvePolicy } from '../../policy/resolve.js';
import { count, plural } from '../../ui/format.js';
import { startProgress } from '../../ui/spinner.js';
import { type AutoLicenseCache, readAutoLicenseCache, writeAutoLicenseCache } from '../shared/autolicense.js';
import { loadCustomers, loadServices } from '../shared/data.js';
import { loadFacts } from '../shared/facts.js';
import { measureScope } from '../shared/measure.js';
import { byServiceSet, overBudget, type ReadCost, readCost } from './cost.js';
import { type PlanState, planState } from './saved.js';

export interface ReadState {
  desired: Desired;
  observed: Observed;
  state: PlanState;
  plan: PolicyPlan;
}

/**
 * The policy resolved against the customers list (fetched now) and the state read from Central,
 * within the day budget. Shared by plan and apply.
 */
export async function readState(
  ctx: Context,
  session: Session,
  policy: Policy,
  options: { refresh?: boolean; yes?: boolean },
): Promise<ReadState> {
  const { io } = ctx;
  const services = await loadServices(ctx, session);
  // Groups and names change in Central's UI: the policy is resolved against the list as it is now.
  const customers = await loadCustomers(ctx, session, true);
  const selectable = customers.data.map((c) => ({
    id: c.id,
    name: c.name,
    ...(c.groupName ? { group: c.groupName } : {}),
  }));
  const resolve = (known: Array<{ name: string }>) =>
    resolvePolicy(
      policy,
      selectable,
      known.map((s) => s.name),
    );
  let desired: Desired;
  try {
    desired = resolve(services.data);
  } catch (error) {
    // A service newer than the cached services list?
    if (!(error instanceof UsageError) || error.code !== 'unknown_service' || !services.fromCache)
      throw error;
    desired = resolve((await loadServices(ctx, session, true)).data);
  }

  // Which customers need which answers, and the cost, said first.
  const autoCache = readAutoLicenseCache(ctx, session);
  const cost = readCost(desired, autoCache, Date.now(), options.refresh);
  const { calls } = cost;
  io.info(
    `plan: ${plural(desired.wants.size, 'customer')} under the policy; about ${count(calls)} API calls ` +
      `(${count(cost.mspWide)} MSP-wide, ${count(cost.perTenant)} per tenant and service, ` +
      `${count(cost.autoToFetch.length)} auto-licensing; ${count(cost.needAuto.length - cost.autoToFetch.length)} cached).`,
  );
  const left = session.client.metrics.dayRemaining;
  if (overBudget(calls, left) && !options.yes) {
    throw new RateLimitError(
      `Reading the state needs about ${count(calls)} API calls but only ${count(left ?? 0)} are left today.`,
      {
        retryable: false,
        hint: 'Narrow the policy, wait for the reset at midnight GMT, or add --yes to spend them anyway.',
      },
    );
  }

  // Progress for long reads (7 calls/s: 2,000 customers take minutes): about ten lines in a log,
  // a live count on a terminal.
  const base = session.client.metrics.calls;
  const spinner =
    calls >= 100 ? await startProgress(io, `reading the state: 0 / ${count(calls)} calls`) : undefined;
  let shownStep = 0;
  const ticker = spinner
    ? setInterval(() => {
        const done = Math.min(calls, session.client.metrics.calls - base);
        const step = Math.floor((10 * done) / calls);
        if (io.spinner || step > shownStep)
          spinner.update(`reading the state: ${count(done)} / ${count(calls)} calls`);
        shownStep = Math.max(shownStep, step);
      }, 1000)
    : undefined;
  ticker?.unref();
  try {
    return await readCounts(ctx, session, desired, customers.data, autoCache, cost);
  } finally {
    if (ticker) clearInterval(ticker);
    spinner?.stop();
  }
}

async function readCounts(
  ctx: Context,
  session: Session,
  desired: Desired,
  customerList: Array<{ id: string; name: string }>,
  autoCache: AutoLicenseCache,
  { needAuto, autoToFetch }: Pick<ReadCost, 'needAuto' | 'autoToFetch'>,
): Promise<ReadState> {
  const facts = loadFacts(ctx, session);
  const wide = new Map<string, ServiceStats>();
  for (const service of desired.services) {
    wide.set(service, await fetchStats(session.client, service, { filter: facts.statsFilter }));
  }

  // Per tenant: customers grouped by the services their rules name, measured group by group
  // (measureScope checks that the gateway scopes stats to the tenant, and says when it does not).
  const all = customerList.map((c) => ({ id: c.id, name: c.name }));
  let counts: Map<string, Map<string, Counts>> | undefined = new Map();
  let countsUnknown: string | undefined;
  for (const [key, members] of byServiceSet(desired)) {
    const names = key.split(',');
    const measured = await measureScope(
      ctx,
      session,
      names,
      { mode: 'include', listed: members, inScope: members },
      all,
      {
        budget: Number.POSITIVE_INFINITY,
        perCustomer: true,
        mspWide: names.map((n) => wide.get(n) as ServiceStats),
        signal: ctx.abort.signal,
      },
    );
    if (!measured.perCustomer) {
      countsUnknown = measured.reason ?? 'per-tenant counts could not be read';
      counts = undefined;
      break;
    }
    for (const [id, rows] of measured.perCustomer) {
      counts.set(
        id,
        new Map(rows.map((r) => [r.service, { licensed: r.licensed, unlicensed: r.unlicensed }])),
      );
    }
  }

  await pool(from(autoToFetch), 3, async (id) => {
    ctx.abort.signal.throwIfAborted();
    autoCache[id] = { services: (await fetchAutoLicense(session.client, id)) ?? null, fetchedAt: Date.now() };
  });
  if (autoToFetch.length) writeAutoLicenseCache(ctx, session, autoCache);
  const auto = new Map(needAuto.map((id) => [id, autoCache[id]?.services ?? null] as const));

  const observed: Observed = {
    ...(counts ? { counts } : {}),
    ...(countsUnknown ? { countsUnknown } : {}),
    auto,
    available: new Map([...wide].map(([s, w]) => [s, w.licensesAvailable])),
  };
  return { desired, observed, state: planState(desired, observed), plan: planPolicy(desired, observed) };
}

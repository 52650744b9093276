// plan -f POLICY: read the estate's state (per-tenant licensed / unlicensed counts per service from
// `subscriptions/stats` with TenantID, auto-licensing settings per tenant, the customers list with
// its groups), compare it with the policy, and print the fewest jobs that converge it. --check
// (cron, monitoring) exits 10 when the estate has drifted; --out saves the plan for `apply`.
//
// Cost (said before it is spent; past what is left of today's budget it needs --yes): the
// customers list (one call per 100 customers, always fresh: groups change outside this tool), one
// stats call per service MSP-wide, one per customer and service the policy covers (no public API
// gives per-tenant counts of many tenants at once), and one auto-licensing call per covered
// customer whose rule says `auto` or `absent` (cached 6 h, as `autolicense status`).
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { fetchAutoLicense, fetchStats, type ServiceStats } from '../central/api.js';
import { writeCache } from '../config/cache.js';
import type { Context, Session } from '../context.js';
import type { CustomerRef } from '../core/customers.js';
import { from, pool } from '../core/pool.js';
import { CliError, ExitCode, RateLimitError, UsageError } from '../errors.js';
import type { PlanOptions } from '../flags.js';
import { type Policy, parsePolicy } from '../policy/parse.js';
import {
  type Counts,
  type CustomerDrift,
  driftLine,
  type Observed,
  type PlannedJob,
  type PolicyPlan,
  planPolicy,
  type Shortfall,
} from '../policy/plan.js';
import { type Desired, type ResolvedRule, resolvePolicy } from '../policy/resolve.js';
import { count, plural, table } from '../ui/format.js';
import { startProgress } from '../ui/spinner.js';
import { AUTOLICENSE_TTL_MS, type AutoLicenseCache, readAutoLicenseCache } from './shared/autolicense.js';
import { cacheKey, loadCustomers, loadServices } from './shared/data.js';
import { loadFacts } from './shared/facts.js';
import { MAX_LIST_BYTES, readInputFile } from './shared/input-file.js';
import { measureScope } from './shared/measure.js';

export const PLAN_KIND = 'msp-license-plan';
/** Calls left untouched today by plan unless --yes (a report must not empty the day's budget). */
const DAY_RESERVE = 50;

export type { PlanOptions };

/** The state a plan was made from: what `apply PLAN.json` compares to refuse a stale plan. */
export interface PlanState {
  fingerprint: string;
  /** customer id → `service=licensed/unlicensed` and `service:state[+auto|-auto]` entries. */
  customers: Record<string, string>;
}

export interface PlanResult extends PolicyPlan {
  kind: typeof PLAN_KIND;
  version: 1;
  createdAt: string;
  gateway: string;
  profile?: string;
  policyFile: string;
  policyHash: string;
  policy: Policy;
  rules: ResolvedRule[];
  customersCovered: number;
  notes: string[];
  check: boolean;
  state: PlanState;
  apiCalls: number;
  dayRemaining?: number;
  dayLimit?: number;
  savedTo?: string;
}

const POLICY_HINT = 'Give the policy file (YAML or JSON) with -f FILE; docs/policy.md describes it.';

export function readPolicy(
  ctx: Context,
  file: string | undefined,
): { policy: Policy; text: string; file: string } {
  if (!file) throw new UsageError('No policy: give the policy file with -f FILE.', { hint: POLICY_HINT });
  const text =
    file === '-'
      ? ctx.io.readStdin()
      : readInputFile(file, { what: 'policy file', maxBytes: MAX_LIST_BYTES, hint: POLICY_HINT });
  return { policy: parsePolicy(text, file === '-' ? '<stdin>' : file), text, file };
}

/** The session the policy is for: its `profile`, unless --profile (or the environment) names another. */
export function policySession(ctx: Context, policy: Policy): Session {
  if (policy.profile) {
    const chosen = ctx.globals.profile ?? ctx.env.MSP_LICENSE_PROFILE;
    if (chosen && chosen !== policy.profile) {
      throw new UsageError(`The policy is for profile '${policy.profile}' but this run uses '${chosen}'.`, {
        hint: `Run with --profile ${policy.profile}, or change the policy's profile line.`,
      });
    }
    if (!chosen) (ctx.globals as { profile?: string }).profile = policy.profile;
  }
  return ctx.session();
}

export interface ReadState {
  desired: Desired;
  observed: Observed;
  state: PlanState;
  plan: PolicyPlan;
}

const wantText = (service: string, w: { state: string; auto?: boolean }) =>
  `${service}:${w.state}${w.auto === undefined ? '' : w.auto ? '+auto' : '-auto'}`;

function stateOf(desired: Desired, observed: Observed): PlanState {
  const customers: Record<string, string> = {};
  for (const [id, wants] of [...desired.wants].sort(([a], [b]) => a.localeCompare(b))) {
    const parts: string[] = [];
    const counts = observed.counts?.get(id);
    const auto = observed.auto.get(id);
    for (const [service, want] of [...wants].sort(([a], [b]) => a.localeCompare(b))) {
      const c = counts?.get(service);
      parts.push(wantText(service, want), `${service}=${c ? `${c.licensed}/${c.unlicensed}` : '?'}`);
    }
    if (auto !== undefined) parts.push(`auto=${auto === null ? '?' : [...auto].sort().join('+')}`);
    customers[id] = parts.join(' ');
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(customers)).digest('hex');
  return { fingerprint, customers };
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
  let desired: Desired;
  const selectable = customers.data.map((c) => ({
    id: c.id,
    name: c.name,
    ...(c.groupName ? { group: c.groupName } : {}),
  }));
  try {
    desired = resolvePolicy(
      policy,
      selectable,
      services.data.map((s) => s.name),
    );
  } catch (error) {
    // A service newer than the cached services list?
    if (!(error instanceof UsageError) || error.code !== 'unknown_service' || !services.fromCache)
      throw error;
    const again = await loadServices(ctx, session, true);
    desired = resolvePolicy(
      policy,
      selectable,
      again.data.map((s) => s.name),
    );
  }

  // Which customers need which answers.
  const now = Date.now();
  const autoCache = readAutoLicenseCache(ctx, session);
  const needAuto = [...desired.wants]
    .filter(([, wants]) => [...wants.values()].some((w) => w.auto !== undefined))
    .map(([id]) => id);
  const fresh = (id: string) => {
    const hit = autoCache[id];
    return !options.refresh && hit && now - hit.fetchedAt <= AUTOLICENSE_TTL_MS ? hit : undefined;
  };
  const autoToFetch = needAuto.filter((id) => !fresh(id));
  const statsCalls = [...desired.wants.values()].reduce((sum, w) => sum + w.size, 0);
  const calls = desired.services.length + statsCalls + autoToFetch.length;
  io.info(
    `plan: ${plural(desired.wants.size, 'customer')} under the policy; about ${count(calls)} API calls ` +
      `(${count(desired.services.length)} MSP-wide, ${count(statsCalls)} per tenant and service, ` +
      `${count(autoToFetch.length)} auto-licensing; ${count(needAuto.length - autoToFetch.length)} cached).`,
  );
  const left = session.client.metrics.dayRemaining;
  if (left !== undefined && calls > left - DAY_RESERVE && !options.yes) {
    throw new RateLimitError(
      `Reading the state needs about ${count(calls)} API calls but only ${count(left)} are left today.`,
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
    return await readCounts(ctx, session, desired, customers.data, { autoCache, needAuto, autoToFetch });
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
  autoState: { autoCache: AutoLicenseCache; needAuto: string[]; autoToFetch: string[] },
): Promise<ReadState> {
  const { autoCache, needAuto, autoToFetch } = autoState;
  const facts = loadFacts(ctx, session);
  const wide = new Map<string, ServiceStats>();
  for (const service of desired.services) {
    wide.set(service, await fetchStats(session.client, service, { filter: facts.statsFilter }));
  }

  // Per tenant: customers grouped by the services their rules name, measured group by group
  // (measureScope checks that the gateway scopes stats to the tenant, and says when it does not).
  const groups = new Map<string, CustomerRef[]>();
  for (const [id, wants] of desired.wants) {
    const key = [...wants.keys()].sort().join(',');
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(desired.customers.get(id) as CustomerRef);
  }
  const all = customerList.map((c) => ({ id: c.id, name: c.name }));
  let counts: Map<string, Map<string, Counts>> | undefined = new Map();
  let countsUnknown: string | undefined;
  for (const [key, members] of groups) {
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
  if (autoToFetch.length) writeCache(ctx.dir, cacheKey(session), 'autolicense', session.baseUrl, autoCache);
  const auto = new Map(needAuto.map((id) => [id, autoCache[id]?.services ?? null] as const));

  const observed: Observed = {
    ...(counts ? { counts } : {}),
    ...(countsUnknown ? { countsUnknown } : {}),
    auto,
    available: new Map([...wide].map(([s, w]) => [s, w.licensesAvailable])),
  };
  return { desired, observed, state: stateOf(desired, observed), plan: planPolicy(desired, observed) };
}

export function planResult(
  _ctx: Context,
  session: Session,
  read: ReadState,
  source: { policy: Policy; text: string; file: string },
  check: boolean,
): PlanResult {
  const metrics = session.client.metrics;
  return {
    kind: PLAN_KIND,
    version: 1,
    createdAt: new Date().toISOString(),
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    policyFile: source.file,
    policyHash: createHash('sha256').update(source.text).digest('hex').slice(0, 16),
    policy: source.policy,
    rules: read.desired.rules,
    customersCovered: read.desired.wants.size,
    notes: read.desired.notes,
    check,
    ...read.plan,
    state: read.state,
    apiCalls: metrics.calls,
    ...(metrics.dayRemaining === undefined ? {} : { dayRemaining: metrics.dayRemaining }),
    ...(metrics.dayLimit === undefined ? {} : { dayLimit: metrics.dayLimit }),
  };
}

export async function run(ctx: Context, options: PlanOptions): Promise<PlanResult> {
  const source = readPolicy(ctx, options.file);
  const session = policySession(ctx, source.policy);
  const read = await readState(ctx, session, source.policy, options);
  const result = planResult(ctx, session, read, source, Boolean(options.check));
  if (options.out) {
    const tmp = `${options.out}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
      renameSync(tmp, options.out);
    } catch (error) {
      throw new CliError(
        `Cannot write the plan to '${options.out}' (${(error as NodeJS.ErrnoException).code ?? error}).`,
        ExitCode.failure,
        {
          code: 'config',
          hint: 'Give a path in a writable directory.',
        },
      );
    }
    result.savedTo = options.out;
  }
  if (options.check) {
    if (result.undecided) {
      throw new CliError(
        `Cannot check the policy: ${result.undecided.reason}; the state of ${plural(result.undecided.customers, 'customer')} is unknown.`,
        ExitCode.failure,
        {
          code: 'state_unknown',
          hint: "'msp-license doctor' shows what this gateway answers; nothing was guessed.",
        },
      );
    }
    // One line per drifted customer on stderr (cron mails it); the whole diff is in --json.
    for (const d of result.drift) ctx.io.warn(driftLine(d));
  }
  return result;
}

/** `plan --check`: exit 10 when the estate has drifted from the policy. */
export function exitCode(result: PlanResult): number | undefined {
  return result.check && !result.inSync ? ExitCode.drift : undefined;
}

/** The plan is the answer: printed under --quiet too (but --check says only what drifted). */
export const answers = (result: PlanResult): boolean => !result.check;

const ACTION_TEXT: Record<PlannedJob['action'], string> = {
  assign: 'assign',
  unassign: 'unassign',
  'autolicense-enable': 'autolicense enable',
  'autolicense-disable': 'autolicense disable',
};

export function ruleLines(result: Pick<PlanResult, 'rules'>): string[][] {
  return result.rules.map((r) => {
    const what = `${r.services.join(', ')} ${r.state}${r.auto === undefined ? '' : r.auto ? ', auto on' : ', auto off'}`;
    const sel = r.selectors.map((s) =>
      s.selector === 'all' ? 'all' : `${s.selector} (${count(s.matched)})`,
    );
    const except = r.exceptSelectors?.length
      ? ` but ${r.exceptSelectors.map((s) => `${s.selector} (${count(s.matched)})`).join(', ')}`
      : '';
    return [`  ${r.label}`, what, `${sel.join(', ')}${except} → ${plural(r.customers, 'customer')}`];
  });
}

export function jobLines(jobs: PlannedJob[]): string[][] {
  return jobs.map((job, i) => {
    const devices = job.services
      .filter((_s) => job.action !== 'autolicense-disable')
      .map((s) => `${s} ${count(job.devices[s] ?? 0)}`)
      .join(', ');
    return [
      `  ${i + 1}. ${ACTION_TEXT[job.action]}`,
      job.services.join(', '),
      plural(job.customers.length, 'customer'),
      devices ? `devices: ${devices}` : '',
    ];
  });
}

export function shortfallLines(shortfall: Shortfall[]): string[] {
  return shortfall.map(
    (s) =>
      `${s.service}: ${plural(s.needed, 'device')} to license, ${count(s.available)} licenses available: ${count(s.short)} will stay unlicensed.`,
  );
}

function driftSummary(drift: CustomerDrift[]): string[] {
  const shown = drift.slice(0, 10).map((d) => `  ${driftLine(d).replace(/^drift: /, '')}`);
  if (drift.length > 10)
    shown.push(`  … and ${plural(drift.length - 10, 'more customer')} (--json has them all)`);
  return shown;
}

export function render(result: PlanResult, ctx: Context): void {
  const { io } = ctx;
  if (result.check) {
    io.info(
      result.inSync
        ? `The estate matches the policy (${plural(result.customersCovered, 'customer')}).`
        : `${plural(result.drift.length, 'customer')} drifted from the policy ${result.policyFile}.`,
    );
    return;
  }
  io.out(
    `${io.styleOut('bold', 'Policy')} ${result.policyFile} — ${result.profile ? `profile ${result.profile}, ` : ''}${result.gateway}`,
  );
  for (const line of table(ruleLines(result), [{}, {}, {}])) io.out(line);
  io.out('');
  if (result.undecided) {
    io.out(
      io.styleOut(
        'yellow',
        `Undecided: ${result.undecided.reason}. The state of ${plural(result.undecided.customers, 'customer')} is unknown: no license job is planned for them (nothing is guessed).`,
      ),
    );
  }
  if (result.jobs.length === 0) {
    io.out(result.undecided ? 'Nothing else to do.' : 'The estate matches the policy: nothing to do.');
  } else {
    io.out(`Drift: ${plural(result.drift.length, 'customer')} of ${count(result.customersCovered)}`);
    for (const line of driftSummary(result.drift)) io.out(line);
    io.out('');
    io.out(`Plan: ${plural(result.jobs.length, 'job')}`);
    for (const line of table(jobLines(result.jobs), [{}, {}, {}, {}])) io.out(line);
  }
  for (const line of shortfallLines(result.shortfall))
    io.out(io.styleOut('yellow', `Licenses short: ${line}`));
  for (const note of result.notes) io.warn(io.style('dim', `note: ${note}`));
  if (result.savedTo) io.info(`Saved to ${result.savedTo}: 'msp-license apply ${result.savedTo}' runs it.`);
  io.info(
    io.style(
      'dim',
      `${count(result.apiCalls)} API calls${result.dayRemaining === undefined ? '' : `; ${count(result.dayRemaining)} left today`}.`,
    ),
  );
}

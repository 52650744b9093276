// assign / unassign: validate everything, plan, confirm, send (chunked), record, and optionally
// wait for the background job by polling the tenant-wide stats (one call per service per poll).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  fetchLicenseStatus,
  fetchStats,
  type LicenseJobRequest,
  type LicenseJobResult,
  type ServiceStats,
  sendAutoLicense,
  sendLicenseJob,
} from '../../central/api.js';
import { redact } from '../../central/redact.js';
import { writeCache } from '../../config/cache.js';
import { appendHistory } from '../../config/history.js';
import type { Context, Session } from '../../context.js';
import type { CustomerRef } from '../../core/customers.js';
import { formatDuration, parseDuration, parseInteger } from '../../core/duration.js';
import {
  evaluateProgress,
  formatProgress,
  type PollSample,
  type Progress,
  type ServiceTarget,
  type Verb,
} from '../../core/progress.js';
import {
  halve,
  type JobRequest,
  planRequests,
  type Scope,
  type ScopeFlags,
  scopeMode,
} from '../../core/scope.js';
import {
  ApiError,
  CancelledError,
  CliError,
  ExitCode,
  InterruptedError,
  RateLimitError,
  StalledError,
  UsageError,
  WaitTimeoutError,
} from '../../errors.js';
import { confirm } from '../../ui/prompt.js';
import { startProgress } from '../../ui/spinner.js';
import { cacheKey, resolveScope, resolveServices, scopeReferences } from './data.js';
import { loadFacts } from './facts.js';
import { measureScope, type ScopeMeasure } from './measure.js';
import { findResumable, unsentRecord } from './resume.js';

export interface JobOptions extends ScopeFlags {
  services?: string[];
  /** Send what an earlier run did not get accepted (true: the newest such run; a string: its id). */
  resume?: boolean | string;
  dryRun?: boolean;
  yes?: boolean;
  wait?: boolean;
  timeout?: string;
  interval?: string;
  stallAfter?: string;
  chunkSize?: string;
}

/** One service of the plan. Device counts are devices; license counts are licenses of the pool. */
export interface PlanRow {
  service: string;
  /** Devices in scope eligible for the service (licensed + unlicensed). */
  eligible?: number;
  /** Devices in scope holding the service (from `used`). */
  licensed?: number;
  /** Devices the job will change (assign: unlicensed devices; unassign: licensed devices). */
  toChange?: number;
  /** Whether `toChange` is exact, or an upper bound (MSP-wide figures may count the MSP's own devices). */
  exact?: boolean;
  /** Each count's own exactness: `licensed` (MSP-wide `used` counts the MSP's own devices too), `unlicensed`. */
  countsExact?: { licensed: boolean; unlicensed: boolean };
  /** Licenses of the pool not consumed (MSP-wide `available`). */
  licensesAvailable?: number;
  /** Assign: devices that will stay unlicensed for want of licenses. */
  shortfall?: number;
}

export interface RequestRecord {
  index: number;
  customers: number;
  kind: 'include' | 'exclude' | 'all';
  /** `split`: refused as too large (413/417) and re-sent as smaller requests, listed after it. */
  status: 'accepted' | 'failed' | 'not-sent' | 'split';
  httpStatus?: number;
  /** The gateway's request id (an x-request-id-style header), when it sends one. */
  requestId?: string;
}

export type Outcome =
  | 'dry-run'
  | 'accepted'
  | 'done'
  | 'settled'
  | 'stalled'
  | 'timeout'
  | 'interrupted'
  | 'failed';

export interface JobResult {
  verb: Verb;
  /** Auto-licensing runs: `autolicense-enable` or `autolicense-disable` (verb is then assign / unassign). */
  action?: string;
  dryRun: boolean;
  profile?: string;
  gateway: string;
  services: string[];
  scope: {
    mode: Scope['mode'];
    customersInScope: number;
    listed: CustomerRef[];
    /** Dry run only: every customer the job would touch (kept out of real results to keep them small). */
    customers?: CustomerRef[];
  };
  strategy: string;
  plan: PlanRow[];
  countsKnown: boolean;
  /** Whether the in-scope counts are exact (else upper bounds: see countsNote). */
  countsExact: boolean;
  /** Why the counts are unknown or upper bounds. */
  countsNote?: string;
  warnings: string[];
  requests: RequestRecord[];
  accepted: boolean;
  alreadyDone: boolean;
  outcome: Outcome;
  wait?: {
    /** Devices the job changed (the fall of the MSP-wide remainder, capped at `needed`). */
    done: number;
    needed?: number;
    /** Whether `needed` is exact (else an upper bound). */
    exact: boolean;
    percent?: number;
    polls: number;
    elapsedMs: number;
    services: Progress['services'];
  };
  historyId?: string;
  apiCalls: number;
}

const MEASURE_BUDGET = 200;
/** Waits before re-sending a request refused with 409 (another license job running): ~45 s in all. */
const CONFLICT_WAITS_MS = [3_000, 6_000, 12_000, 24_000];
/** The first --wait poll comes this soon (a small job is often done within seconds). */
const FIRST_POLL_MS = 2000;

interface Validated {
  session: Session;
  services: string[];
  scope: Scope;
  allCustomers: CustomerRef[];
  /** The same scope from a customers list fetched now (for a complement list: see runJob). */
  freshScope: () => Promise<{ scope: Scope; all: CustomerRef[] }>;
}

/** With --resume, the services and scope of the run to resume (from the history). */
function resumeOptions(
  ctx: Context,
  verb: Verb,
  options: JobOptions,
  action: string,
): { options: JobOptions; resumeOf?: string } {
  if (options.resume === undefined || options.resume === false) {
    if (!options.services?.length) {
      throw new UsageError('--services is required.', {
        code: 'missing_services',
        hint: `Name the services to ${verb === 'assign' ? 'assign' : 'remove'}, e.g. --services foundation_ap ('msp-license services' lists them).`,
      });
    }
    return { options };
  }
  const scoped =
    options.include?.length || options.exclude?.length || options.includeFile || options.excludeFile;
  if (options.services?.length || scoped || options.allCustomers) {
    throw new UsageError('--resume takes its services and customers from the history.', {
      hint: `Run 'msp-license ${verb} --resume' alone (with --wait, --yes or --dry-run if wanted).`,
    });
  }
  const session = ctx.session();
  const plan = findResumable(
    ctx.dir,
    action,
    { profile: session.profileName, gateway: session.baseUrl },
    typeof options.resume === 'string' ? options.resume : undefined,
  );
  ctx.io.info(`Resuming run ${plan.id}: what it did not get accepted is sent now.`);
  const { resume: _resume, ...rest } = options;
  return {
    resumeOf: plan.id,
    options: {
      ...rest,
      services: plan.services,
      ...(plan.include ? { include: plan.include } : {}),
      ...(plan.exclude ? { exclude: plan.exclude } : {}),
      ...(plan.allCustomers ? { allCustomers: true } : {}),
    },
  };
}

async function validate(ctx: Context, options: JobOptions): Promise<Validated> {
  const references = scopeReferences(options); // bad flags and unreadable lists: before any call
  const session = ctx.session();

  const matched = await resolveServices(ctx, session, options.services ?? []);
  let resolved = await resolveScope(ctx, session, references);
  // "All but these" sent as an explicit list of the others must name every customer that exists
  // now: a cached list would leave out customers created since (unlicensed, and exit 0).
  const freshScope = async () => {
    if (resolved.fromCache) resolved = await resolveScope(ctx, session, references, true);
    return resolved;
  };
  return { session, services: matched, scope: resolved.scope, allCustomers: resolved.all, freshScope };
}

function planRows(verb: Verb, services: string[], measure: ScopeMeasure | undefined): PlanRow[] {
  return services.map((service, i) => {
    const wide = measure?.mspWide[i];
    const counts = measure?.inScope?.[i];
    const row: PlanRow = { service };
    if (wide?.licensesAvailable !== undefined) row.licensesAvailable = wide.licensesAvailable;
    if (counts && measure) {
      row.eligible = counts.licensed + counts.unlicensed;
      row.licensed = counts.licensed;
      row.toChange = verb === 'assign' ? counts.unlicensed : counts.licensed;
      row.exact = verb === 'assign' ? measure.exact.unlicensed : measure.exact.licensed;
      row.countsExact = { licensed: measure.exact.licensed, unlicensed: measure.exact.unlicensed };
      if (verb === 'assign' && row.licensesAvailable !== undefined) {
        row.shortfall = Math.max(0, row.toChange - row.licensesAvailable);
      }
    }
    return row;
  });
}

function planWarnings(verb: Verb, rows: PlanRow[], measure: ScopeMeasure | undefined): string[] {
  const warnings: string[] = [];
  const n = (x: number | undefined) => (x ?? 0).toLocaleString('en-US');
  for (const row of rows) {
    if (verb === 'assign' && row.shortfall) {
      warnings.push(
        `${row.service}: ${row.exact ? '' : 'up to '}${n(row.toChange)} devices need a license but only ${n(row.licensesAvailable)} licenses are available; ` +
          `${row.exact ? '' : 'up to '}${n(row.shortfall)} devices will stay unlicensed.`,
      );
    }
  }
  if (measure?.method === 'unknown' && verb === 'assign') {
    // The in-scope share is unknown: the MSP-wide shortfall is the most the job can run short by.
    for (const wide of measure.mspWide) {
      if (wide.licensesAvailable !== undefined && wide.unlicensedDevices > wide.licensesAvailable) {
        warnings.push(
          `${wide.service}: ${n(wide.unlicensedDevices)} devices of all customers lack a license and only ${n(wide.licensesAvailable)} licenses are available; licenses may run out for this scope.`,
        );
      }
    }
  }
  if (measure?.method === 'unknown') {
    warnings.push(
      `Device counts for this scope are unknown: ${measure.reason ?? 'knowing them would cost too many API calls'}; showing tenant-wide figures only.`,
    );
  } else if (
    measure?.reason &&
    rows.some(
      (r) => r.exact === false || r.countsExact?.licensed === false || r.countsExact?.unlicensed === false,
    )
  ) {
    warnings.push(`Device counts marked "≤" are upper bounds: ${measure.reason}.`);
  }
  return warnings;
}

/**
 * What a run sends: the license job (assign/unassign), or the auto-licensing settings (enable,
 * which also assigns now and is measured like assign; disable, which changes no license).
 */
export type JobKind = 'license' | 'autolicense';

/** The name a run goes by in the history and in --resume. */
export function actionOf(verb: Verb, kind: JobKind): string {
  if (kind === 'license') return verb;
  return verb === 'assign' ? 'autolicense-enable' : 'autolicense-disable';
}

export async function runJob(
  ctx: Context,
  verb: Verb,
  given: JobOptions,
  kind: JobKind = 'license',
): Promise<JobResult> {
  const { io } = ctx;
  const action = actionOf(verb, kind);
  const disabling = kind === 'autolicense' && verb === 'unassign';
  // A real run ends only with the job's true outcome, recorded: a closed output pipe (`| head`)
  // does not end it, before or after sending (see runtime.ts). A dry run just stops.
  if (!given.dryRun) ctx.mustFinish = true;
  const { options, resumeOf } = resumeOptions(ctx, verb, given, action);
  // Everything that can be refused is refused before the first call.
  scopeMode(options);
  const { timeoutMs, intervalMs, stallAfterMs, chunkSize } = jobNumbers(options);
  if (disabling && options.wait) {
    throw new UsageError('disable changes no license now: there is nothing to --wait for.', {
      hint: "Drop --wait; 'msp-license autolicense status' shows the settings afterwards.",
    });
  }
  if (verb === 'unassign' && !options.yes && !options.dryRun && !io.interactive) {
    const what = disabling
      ? 'disable stops new devices of live tenants from being licensed'
      : 'unassign removes licenses from live devices';
    throw new UsageError(`${what}: without a terminal it needs --yes.`, {
      code: 'confirmation_required',
      hint: 'Add --yes to confirm (or --dry-run to see the plan first).',
    });
  }

  const validated = await validate(ctx, options);
  const { session, services, freshScope } = validated;
  // unassign never uses the API's implicit scopes (they reach the MSP's own devices); the
  // auto-licensing settings do: with neither list they are the MSP default new tenants inherit.
  const explicitOnly = verb === 'unassign' && kind === 'license';
  let { scope, allCustomers } = validated;
  let plan = planRequests(scope, chunkSize, { explicitOnly });
  if (plan.strategy === 'complement') {
    // The others are named one by one: take them from a customers list fetched now.
    ({ scope, all: allCustomers } = await freshScope());
    plan = planRequests(scope, chunkSize, { explicitOnly });
  }
  // The same refusal for a dry run as for the real run: a plan that cannot be sent is no plan.
  if (scope.inScope.length === 0) {
    throw new UsageError('No customer is left in scope: nothing to send.', {
      hint: 'The exclude list names every customer; use --include to name customers, or exclude fewer.',
    });
  }
  const confirming = io.interactive && !options.yes && !options.dryRun;
  const measure =
    !disabling && (options.dryRun || options.wait || confirming)
      ? await measureScope(ctx, session, services, scope, allCustomers, {
          budget: MEASURE_BUDGET,
          signal: ctx.abort.signal,
        })
      : undefined;
  const rows = planRows(verb, services, measure);
  const countsKnown = Boolean(measure?.inScope);
  const countsExact = countsKnown && rows.every((r) => r.exact);
  const warnings = planWarnings(verb, rows, measure);
  const paused = kind === 'autolicense' && verb === 'assign' ? await pausedServices(session, services) : [];
  if (kind === 'autolicense' && verb === 'assign') warnings.push(...pauseWarnings(services, paused));
  if (kind === 'autolicense' && scope.mode === 'all' && plan.strategy === 'all') {
    warnings.push(
      verb === 'assign'
        ? 'Every customer, the MSP itself, and every tenant created from now on (new tenants inherit the MSP setting).'
        : 'Every customer and the MSP setting: tenants created from now on will not inherit it.',
    );
  }
  const result: JobResult = {
    verb,
    ...(kind === 'autolicense' ? { action } : {}),
    dryRun: Boolean(options.dryRun),
    ...(session.profileName ? { profile: session.profileName } : {}),
    gateway: session.baseUrl,
    services,
    scope: { mode: scope.mode, customersInScope: scope.inScope.length, listed: scope.listed },
    strategy: plan.strategy,
    plan: rows,
    countsKnown,
    countsExact,
    ...(measure?.reason ? { countsNote: measure.reason } : {}),
    warnings,
    requests: [],
    accepted: false,
    alreadyDone: kind === 'license' && countsKnown && rows.every((r) => r.toChange === 0),
    outcome: 'dry-run',
    apiCalls: 0,
  };

  if (options.wait) {
    // Before anything is sent: can today's API budget pay for the wait? (Known from the
    // X-RateLimit-Remaining-day header of the calls made so far.)
    const shortfall = dayBudgetShortfall(
      session,
      services.length,
      plan.requests.length,
      timeoutMs,
      intervalMs,
    );
    if (shortfall) {
      const hint =
        'Poll less often (--interval), wait less (--timeout), or run after the budget resets at midnight GMT.';
      if (options.dryRun) result.warnings.push(shortfall);
      else if (ctx.globals.input === false) throw new RateLimitError(shortfall, { hint, retryable: false });
      else io.warn(io.style('yellow', `warning: ${shortfall}`));
    }
  }

  if (options.dryRun) {
    result.requests = plan.requests.map((r, index) => requestRecord(index, r, 'not-sent'));
    result.scope.customers = scope.inScope;
    result.apiCalls = session.client.metrics.calls;
    return result;
  }
  if (confirming) {
    renderPlan(result, ctx, 'stderr', plan.requests.length);
    const question =
      kind === 'autolicense'
        ? `${verb === 'assign' ? 'Enable' : 'Disable'} auto-licensing now?`
        : `${verb === 'assign' ? 'Assign' : 'Remove'} these licenses now?`;
    const yes = await confirm(io, question);
    if (!yes) throw new CancelledError();
  } else {
    // No plan shown (--yes, no terminal): its warnings still come before anything is sent
    // (with --json they are in the result, and stderr holds at most the one error object).
    if (!io.json) for (const warning of result.warnings) io.warn(io.style('yellow', `warning: ${warning}`));
  }

  const historyId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  result.historyId = historyId;
  const base = {
    id: historyId,
    profile: session.profileName ?? null,
    gateway: session.baseUrl,
    verb: action,
    services,
  };
  const record = (event: string, extra: Record<string, unknown>) =>
    appendHistory(ctx.dir, { ...base, event, time: new Date().toISOString(), ...extra });

  record('sent', {
    scope: {
      mode: scope.mode,
      customersInScope: scope.inScope.length,
      listed: scope.listed.map((c) => c.id),
    },
    strategy: plan.strategy,
    plannedRequests: plan.requests.length,
    ...(resumeOf ? { resumeOf } : {}),
  });
  const unsent: JobRequest[] = [];

  let progress: Progress | undefined;
  let failure: string | undefined;
  let polls = 0;
  const started = Date.now();
  try {
    await sendAll(ctx, verb, services, freshScope, plan.requests, result, unsent, (job) =>
      kind === 'autolicense'
        ? sendAutoLicense(session.client, verb === 'assign' ? 'enable' : 'disable', job)
        : sendLicenseJob(session.client, verb, job),
    );
    result.accepted = true;
    result.outcome = 'accepted';
    if (result.alreadyDone) {
      io.info(
        verb === 'assign'
          ? 'Every eligible device in scope already holds these licenses: the job is a no-op.'
          : 'No device in scope holds these licenses: the job is a no-op.',
      );
    }
    if (options.wait && paused.length > 0 && paused.every((p) => p === true)) {
      // Central said before sending that it pauses these services: nothing will move.
      result.outcome = 'stalled';
      throw new StalledError(
        `Auto-licensing of ${services.join(', ')} is paused: fewer licenses than devices.`,
        {
          hint: 'Add licenses; Central resumes auto-licensing by itself once they outnumber the devices.',
        },
      );
    } else if (options.wait) {
      const targets = jobTargets(verb, rows, measure);
      // Counted tenant by tenant before sending: the same count can confirm a verdict.
      const verify: Verify | undefined =
        measure?.method === 'listed'
          ? async () => {
              // MSP-wide figures fetched anew: the tenants' sum is checked against them.
              const again = await measureScope(ctx, session, services, scope, allCustomers, {
                budget: MEASURE_BUDGET,
                signal: ctx.abort.signal,
              });
              if (again.method !== 'listed' || !again.inScope) return undefined;
              return new Map(
                again.inScope.map((c) => [c.service, verb === 'assign' ? c.unlicensed : c.licensed]),
              );
            }
          : undefined;
      const waited = await waitForJob(
        ctx,
        session,
        verb,
        targets,
        { timeoutMs, intervalMs, stallAfterMs },
        verify,
      );
      progress = waited.progress;
      polls = waited.polls;
      result.outcome = waited.outcome;
    }
  } catch (error) {
    const interrupted = ctx.interrupted || outcomeOf(error) === 'interrupted';
    // The history keeps why a job ended badly; secrets never reach the file.
    failure = redact(error instanceof Error ? error.message : String(error), ctx.secrets());
    if (interrupted) result.outcome = 'interrupted';
    else if (error instanceof StalledError) {
      // Known before waiting (auto-licensing paused): the wait's own verdict, not a lost job.
      result.outcome = 'stalled';
      throw error;
    } else if (result.accepted) {
      // Central accepted the job and runs it whatever happens here: only following it failed.
      result.outcome = 'accepted';
      failure = `following the job failed: ${failure}`;
      throw acceptedButLost(error, result);
    } else result.outcome = 'failed';
    // Some requests went through before one failed: those customers' job goes on in Central.
    if (!interrupted && result.requests.some((r) => r.status === 'accepted')) throw partlySent(error, result);
    throw error;
  } finally {
    if (kind === 'autolicense' && result.requests.some((r) => r.status === 'accepted')) {
      // The cached settings (autolicense status, status) no longer hold: ask again next time.
      for (const name of ['autolicense', 'autolicense-paused']) {
        writeCache(ctx.dir, cacheKey(session), name, session.baseUrl, {});
      }
    }
    if (progress) {
      result.wait = {
        done: progress.done,
        ...(progress.needed === undefined ? {} : { needed: progress.needed, percent: progress.percent }),
        exact: progress.exact,
        polls,
        elapsedMs: Date.now() - started,
        services: progress.services,
      };
    }
    result.apiCalls = session.client.metrics.calls;
    record('result', {
      outcome: result.outcome,
      strategy: result.strategy,
      requests: result.requests,
      ...(result.wait ? { counts: { done: result.wait.done, needed: result.wait.needed ?? null } } : {}),
      apiCalls: result.apiCalls,
      ...(failure ? { error: failure } : {}),
      ...(unsent.length ? { unsent: unsent.map(unsentRecord) } : {}),
    });
  }
  if (result.outcome === 'stalled') {
    throw new StalledError(stalledMessage(progress), {
      hint:
        verb === 'assign'
          ? 'Add licenses (or free some) and run the same command again: devices already licensed are skipped.'
          : "Central stopped removing licenses; run the same command again (devices already without the license are skipped), and check 'msp-license status' with the same scope flags.",
    });
  }
  if (result.outcome === 'timeout') {
    throw new WaitTimeoutError(
      `Still pending after ${formatDuration(timeoutMs)}: ${progress ? formatProgress(progress) : 'no progress seen'}.`,
      { hint: "The job goes on in Central; check later with 'msp-license status' (same scope flags)." },
    );
  }
  return result;
}

/** The numeric flags, each checked against its range (exit 2 naming the range). */
export function jobNumbers(options: JobOptions): WaitSettings & { chunkSize: number } {
  const timeoutMs = parseDuration(options.timeout ?? '30m', '--timeout', { min: 1000, max: 7 * DAY });
  const intervalMs = parseDuration(options.interval ?? '15s', '--interval', { min: 1000, max: HOUR });
  const stallAfterMs = parseDuration(options.stallAfter ?? '10m', '--stall-after', {
    min: 1000,
    max: DAY,
  });
  if (options.wait && stallAfterMs < intervalMs) {
    throw new UsageError(
      `--stall-after (${formatDuration(stallAfterMs)}) is shorter than --interval (${formatDuration(intervalMs)}): the wait would stall at the first poll.`,
      { hint: 'Make --stall-after at least as long as --interval.' },
    );
  }
  const chunkSize = parseInteger(options.chunkSize ?? '200', '--chunk-size', { min: 1, max: 10_000 });
  return { timeoutMs, intervalMs, stallAfterMs, chunkSize };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Enable: a service whose licenses do not outnumber the devices (MSP and tenants counted) is
 * paused by Central (API reference: "License assignment will be in paused state..."). One status
 * call per service; an answer whose shape cannot be read says so instead.
 */
async function pausedServices(session: Session, services: string[]): Promise<Array<boolean | undefined>> {
  const out: Array<boolean | undefined> = [];
  for (const service of services) {
    const sufficient = await fetchLicenseStatus(session.client, service);
    out.push(sufficient === undefined ? undefined : !sufficient);
  }
  return out;
}

function pauseWarnings(services: string[], paused: Array<boolean | undefined>): string[] {
  const out: string[] = [];
  for (const [i, service] of services.entries()) {
    const state = paused[i];
    if (state === true) {
      out.push(
        `${service}: fewer licenses than devices (MSP and tenants counted): Central pauses auto-licensing of it until licenses are added.`,
      );
    } else if (state === undefined) {
      out.push(
        `${service}: whether auto-licensing would pause is unknown (the status answer could not be read).`,
      );
    }
  }
  return out;
}

/** What --wait watches per service: the MSP-wide remainder at the start, and the in-scope need. */
function jobTargets(verb: Verb, rows: PlanRow[], measure: ScopeMeasure | undefined): ServiceTarget[] {
  return rows.map((row, i) => {
    const wide = measure?.mspWide[i];
    return {
      service: row.service,
      needed: row.toChange,
      neededExact: row.exact === true,
      startRemaining: wide ? remainingOf(verb, wide) : 0,
    };
  });
}

/** What is left to do MSP-wide: devices without the license (assign), licenses consumed (unassign). */
function remainingOf(verb: Verb, stats: ServiceStats): number {
  return verb === 'assign' ? stats.unlicensedDevices : stats.licensesUsed;
}

/**
 * The worst case of `--wait` in API calls (every request sent, then one stats call per service per
 * poll until the timeout) against what is left of today's budget; a message when it does not fit.
 */
function dayBudgetShortfall(
  session: Session,
  services: number,
  requests: number,
  timeoutMs: number,
  intervalMs: number,
): string | undefined {
  const { dayRemaining, dayLimit } = session.client.metrics;
  if (dayRemaining === undefined) return undefined;
  const polls = Math.ceil(timeoutMs / intervalMs);
  const needed = requests + polls * services;
  if (needed <= dayRemaining) return undefined;
  return (
    `--wait may need up to ${needed.toLocaleString('en-US')} API calls ` +
    `(${requests} request${requests === 1 ? '' : 's'} + ${polls} polls × ${services} service${services === 1 ? '' : 's'}) ` +
    `but only ${dayRemaining.toLocaleString('en-US')} of today's budget${dayLimit ? ` of ${dayLimit.toLocaleString('en-US')}` : ''} are left.`
  );
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof InterruptedError || (error instanceof CliError && error.code === 'interrupted'))
    return 'interrupted';
  if (error instanceof StalledError) return 'stalled';
  return 'failed';
}

/**
 * A failure while following a job Central already accepted: the same error (and exit code), but
 * saying the job was accepted and goes on, so nobody re-runs it believing nothing happened.
 */
function acceptedButLost(error: unknown, result: JobResult): CliError {
  const sent = result.requests.filter((r) => r.status === 'accepted').length;
  const reason = error instanceof Error ? error.message : String(error);
  const cli = error instanceof CliError ? error : undefined;
  const message = `The job was accepted by Central (${sent} request${sent === 1 ? '' : 's'}) and goes on there, but following it failed: ${reason}`;
  const hint = `Check its progress later with 'msp-license status' (same scope flags); running the same command again is safe.${cli?.hint ? `\n${cli.hint}` : ''}`;
  return new CliError(message, cli?.exitCode ?? ExitCode.failure, {
    code: cli?.code ?? 'failure',
    hint,
    ...(cli?.httpStatus === undefined ? {} : { httpStatus: cli.httpStatus }),
    retryable: cli?.retryable ?? false,
    cause: error,
  });
}

/** A request failed after others were accepted: say which part of the scope is under way. */
function partlySent(error: unknown, result: JobResult): CliError {
  const sent = result.requests.filter((r) => r.status === 'accepted');
  const customers = sent.reduce((sum, r) => sum + r.customers, 0);
  const reason = error instanceof Error ? error.message : String(error);
  const cli = error instanceof CliError ? error : undefined;
  return new CliError(
    `${sent.length} of ${result.requests.filter((r) => r.status !== 'split').length} requests were accepted (${customers.toLocaleString('en-US')} customer${customers === 1 ? '' : 's'}: their job goes on in Central), then one failed: ${reason}`,
    cli?.exitCode ?? ExitCode.failure,
    {
      code: cli?.code ?? 'failure',
      hint: `Run the same command again: it sends every request again, and the accepted ones change nothing twice.${cli?.hint ? `\n${cli.hint}` : ''}`,
      ...(cli?.httpStatus === undefined ? {} : { httpStatus: cli.httpStatus }),
      retryable: cli?.retryable ?? false,
      cause: error,
    },
  );
}

function stalledMessage(progress: Progress | undefined): string {
  if (!progress) return 'The job stalled.';
  const blocked = progress.services.filter((s) => s.blocked).map((s) => s.service);
  const left = (progress.needed ?? 0) - progress.done;
  return blocked.length
    ? `Stalled with ${left.toLocaleString('en-US')} devices left unlicensed: no ${blocked.join(', ')} licenses left (${formatProgress(progress)}).`
    : `Stalled: no progress for a while (${formatProgress(progress)}).`;
}

function requestRecord(
  index: number,
  request: JobRequest,
  status: RequestRecord['status'],
  httpStatus?: number,
) {
  const kind: RequestRecord['kind'] = request.include ? 'include' : request.exclude ? 'exclude' : 'all';
  const customers = request.include?.length ?? request.exclude?.length ?? 0;
  return { index, customers, kind, status, ...(httpStatus ? { httpStatus } : {}) };
}

async function sendAll(
  ctx: Context,
  verb: Verb,
  services: string[],
  freshScope: Validated['freshScope'],
  requests: JobRequest[],
  result: JobResult,
  unsent: JobRequest[],
  send: (job: LicenseJobRequest) => Promise<LicenseJobResult>,
): Promise<void> {
  const queue = [...requests];
  let index = 0;
  let conflicts = 0;
  try {
    while (queue.length) {
      if (ctx.interrupted) throw new InterruptedError('Interrupted before every request was sent.');
      const request = queue[0]!;
      try {
        const answer = await send({
          services,
          ...(request.include ? { includeCustomers: request.include } : {}),
          ...(request.exclude ? { excludeCustomers: request.exclude } : {}),
        });
        queue.shift();
        conflicts = 0; // each request gets its own waits for another job to finish
        result.requests.push({
          ...requestRecord(index++, request, 'accepted'),
          ...(answer.requestId ? { requestId: answer.requestId } : {}),
        });
        if (queue.length || index > 1) ctx.io.info(`request ${index} accepted (${describeRequest(request)})`);
      } catch (error) {
        const status = error instanceof CliError ? error.httpStatus : undefined;
        if (status === 409 && conflicts < CONFLICT_WAITS_MS.length) {
          // 409 is a documented answer of the job; that it means "another license job is still
          // running" is our reading (docs/central-contract.md). Nothing was accepted: wait, retry.
          const ms = CONFLICT_WAITS_MS[conflicts++]!;
          ctx.io.info(
            `Central refused the request (HTTP 409): probably another license job is still running; trying again in ${formatDuration(ms)}`,
          );
          try {
            await sleep(ms, undefined, { signal: ctx.abort.signal });
          } catch {
            throw new InterruptedError('Interrupted while waiting for another license job to finish.');
          }
          continue;
        }
        if (status === 413 || status === 417) {
          queue.shift();
          result.requests.push(requestRecord(index++, request, 'split', status));
          if (request.exclude) {
            // An exclude list is never split: it becomes the complement include list.
            let complement: string[];
            try {
              complement = (await freshScope()).scope.inScope.map((c) => c.id);
            } catch (failure) {
              result.requests[result.requests.length - 1] = requestRecord(
                index - 1,
                request,
                'failed',
                status,
              );
              unsent.push(request);
              throw failure;
            }
            const size = Math.max(1, Math.floor(request.exclude.length / 2));
            const chunks: JobRequest[] = [];
            for (let i = 0; i < complement.length; i += size)
              chunks.push({ include: complement.slice(i, i + size) });
            ctx.io.info(
              `the exclude list is too large for one request: sending the ${complement.length} other customers as include lists`,
            );
            result.strategy = 'complement';
            queue.unshift(...chunks);
            continue;
          }
          const halves = halve(request);
          if (!halves) {
            // One customer is still too large: nothing of it was sent; --resume can try it again.
            result.requests[result.requests.length - 1] = requestRecord(index - 1, request, 'failed', status);
            unsent.push(request);
            throw error;
          }
          ctx.io.info(
            `request too large (HTTP ${status}): splitting ${request.include?.length} customers in two`,
          );
          queue.unshift(...halves);
          continue;
        }
        result.requests.push(requestRecord(index++, request, 'failed', status));
        unsent.push(request);
        queue.shift();
        if (status === 409 && error instanceof CliError) {
          throw new ApiError(
            `${error.message}: another license job seems to be running (refused ${conflicts + 1} times)`,
            {
              httpStatus: 409,
              retryable: true,
              cause: error,
              hint: `Wait for it to finish, then send what was not accepted with 'msp-license ${verb} --resume'.`,
            },
          );
        }
        throw error;
      }
    }
  } finally {
    for (const request of queue) {
      result.requests.push(requestRecord(index++, request, 'not-sent'));
      unsent.push(request);
    }
  }
}

function describeRequest(request: JobRequest): string {
  if (request.include) return `${request.include.length} customers`;
  if (request.exclude) return `all but ${request.exclude.length} customers`;
  return 'all customers';
}

interface WaitSettings {
  timeoutMs: number;
  intervalMs: number;
  stallAfterMs: number;
}

/**
 * The in-scope remainder per service, counted tenant by tenant (assign: unlicensed devices;
 * unassign: licensed devices), when that is how the plan was measured; undefined otherwise.
 */
type Verify = () => Promise<Map<string, number> | undefined>;

async function waitForJob(
  ctx: Context,
  session: Session,
  verb: Verb,
  initial: ServiceTarget[],
  settings: WaitSettings,
  verify?: Verify,
): Promise<{ outcome: Outcome; progress: Progress; polls: number }> {
  const started = Date.now();
  const { statsFilter } = loadFacts(ctx, session);
  let targets = initial;
  let progress = evaluateProgress(verb, targets, []);
  if (progress.complete) return { outcome: 'done', progress, polls: 0 };
  const spinner = await startProgress(ctx.io, `waiting for the job: ${formatProgress(progress)}`);
  ctx.onCleanup(() => spinner.stop());
  let polls = 0;
  let lastDone = -1;
  let lastChange = Date.now();
  let quietPolls = 0;
  let samples: PollSample[] = [];

  /**
   * Before a verdict, the scope itself is counted again when it can be: the MSP-wide fall also
   * moves with any other job on the same service. True when nothing is left in scope, false when
   * something is, undefined when the scope cannot be counted (the verdict stands as measured).
   */
  let left: Map<string, number> | undefined;
  const nothingLeft = async (): Promise<boolean | undefined> => {
    left = verify ? await verify() : undefined;
    return left ? [...left.values()].every((n) => n === 0) : undefined;
  };
  /** "Done" said by the MSP-wide fall but not by the scope: follow what is left, counted from now. */
  const retarget = (stillLeft: Map<string, number>) => {
    const total = [...stillLeft.values()].reduce((a, b) => a + b, 0);
    ctx.io.info(
      `the tenant-wide counts moved more than this job's devices (another job on the same service?): ${total.toLocaleString('en-US')} devices in scope still to do; following them`,
    );
    targets = targets.map((t) => ({
      service: t.service,
      needed: stillLeft.get(t.service) ?? 0,
      neededExact: true,
      startRemaining: samples.find((x) => x.service === t.service)?.remaining ?? t.startRemaining,
    }));
    progress = evaluateProgress(verb, targets, samples);
    lastDone = progress.done;
    lastChange = Date.now();
    quietPolls = 0;
  };
  const doneInScope = (elapsed: string) => {
    spinner.succeed(`done: every device in scope changed in ${elapsed}`);
    return { outcome: 'done' as const, progress: { ...progress, complete: true, blocked: false }, polls };
  };

  try {
    for (;;) {
      const remaining = settings.timeoutMs - (Date.now() - started);
      if (remaining <= 0) {
        if ((await nothingLeft()) === true) return doneInScope(formatDuration(Date.now() - started));
        if (!progress.exact && quietPolls >= 2) {
          // Not measurable exactly, and quiet: a finished job, most likely; never a timeout for it.
          spinner.succeed(
            `settled: ${formatProgress(progress)}; no change in the last ${quietPolls} polls (exact counts unknown)`,
          );
          return { outcome: 'settled', progress, polls };
        }
        spinner.fail(`timed out: ${formatProgress(progress)}`);
        return { outcome: 'timeout', progress, polls };
      }
      // The first look comes soon (a small job is often done within seconds), then every interval.
      const pause = polls === 0 ? Math.min(FIRST_POLL_MS, settings.intervalMs) : settings.intervalMs;
      try {
        await sleep(Math.min(pause, remaining), undefined, { signal: ctx.abort.signal });
      } catch {
        throw new InterruptedError('Interrupted while waiting; the job goes on in Central.');
      }
      samples = await Promise.all(
        targets.map(async (t) => {
          const stats = await fetchStats(session.client, t.service, { filter: statsFilter });
          return {
            service: t.service,
            remaining: remainingOf(verb, stats),
            licensesAvailable: stats.licensesAvailable,
          };
        }),
      );
      polls++;
      progress = evaluateProgress(verb, targets, samples);
      if (progress.done !== lastDone) {
        lastDone = progress.done;
        lastChange = Date.now();
        quietPolls = 0;
      } else {
        quietPolls++;
      }
      const elapsed = formatDuration(Date.now() - started);
      if (progress.complete) {
        if ((await nothingLeft()) === false && left) {
          retarget(left);
          continue;
        }
        spinner.succeed(`done: ${formatProgress(progress)} in ${elapsed}`);
        return { outcome: 'done', progress, polls };
      }
      if (progress.blocked) {
        if ((await nothingLeft()) === true) return doneInScope(elapsed);
        spinner.fail(`stalled: ${formatProgress(progress)} (out of licenses)`);
        return { outcome: 'stalled', progress, polls };
      }
      if (Date.now() - lastChange >= settings.stallAfterMs) {
        if ((await nothingLeft()) === true) return doneInScope(elapsed);
        const quiet = `no change for ${formatDuration(settings.stallAfterMs)}`;
        if (progress.exact && !progress.outOfLicenses) {
          spinner.fail(`stalled: ${formatProgress(progress)}; ${quiet}`);
          return { outcome: 'stalled', progress, polls };
        }
        if (progress.outOfLicenses) {
          // The need is not known exactly, but licenses ran out with devices left unlicensed
          // somewhere: say so with the stalled exit code rather than claim success.
          spinner.fail(`stalled: ${formatProgress(progress)}; ${quiet} and no licenses left`);
          return { outcome: 'stalled', progress, polls };
        }
        spinner.succeed(`settled: ${formatProgress(progress)}; ${quiet} (exact counts unknown)`);
        return { outcome: 'settled', progress, polls };
      }
      spinner.update(`${formatProgress(progress)} (${elapsed})`);
    }
  } finally {
    spinner.stop();
  }
}

/**
 * The plan. Before a confirmation it is a status message (stderr); for a dry run it is the
 * command's output (stdout, so `--dry-run > plan.txt` keeps it), with the warnings on stderr.
 */
export function renderPlan(
  result: JobResult,
  ctx: Context,
  target: 'stderr' | 'stdout' = 'stderr',
  /** Before the confirmation nothing is sent yet: the number of requests planned. */
  plannedRequests?: number,
): void {
  const { io } = ctx;
  const toStdout = target === 'stdout';
  const s: typeof io.style = toStdout && !io.stdoutTTY ? (_kind, text) => text : io.style;
  const n = (x: number | undefined) => (x === undefined ? '?' : x.toLocaleString('en-US'));
  const lines: string[] = [];
  const scopeText =
    result.scope.mode === 'all'
      ? `all ${n(result.scope.customersInScope)} customers`
      : result.scope.mode === 'include'
        ? `${n(result.scope.customersInScope)} customer${result.scope.customersInScope === 1 ? '' : 's'}: ${names(result.scope.listed)}`
        : `${n(result.scope.customersInScope)} customers (all but ${names(result.scope.listed)})`;
  lines.push(`${s('bold', titleOf(result))} ${result.services.join(', ')}`);
  if (result.action === 'autolicense-enable') {
    lines.push(
      '  now       assigns them to every eligible device of the customers in scope; new devices later too',
    );
  } else if (result.action === 'autolicense-disable') {
    lines.push('  now       new devices are no longer licensed; current licenses stay as they are');
  }
  lines.push(`  gateway   ${result.gateway}${result.profile ? ` (profile ${result.profile})` : ''}`);
  lines.push(`  scope     ${scopeText}`);
  lines.push(
    `  requests  ${result.requests.length || plannedRequests || '?'} (${result.strategy === 'complement' ? 'exclude list sent as the complement include list' : result.strategy})`,
  );
  if (result.plan.some((r) => r.eligible !== undefined || r.licensesAvailable !== undefined)) {
    const count = (x: number | undefined, exact: boolean | undefined) =>
      `${exact === false && x !== undefined ? '≤' : ''}${n(x)}`;
    lines.push('');
    lines.push(
      `  ${'service'.padEnd(26)} ${'eligible'.padStart(9)} ${'licensed'.padStart(9)} ${(result.verb === 'assign' ? 'to assign' : 'to remove').padStart(9)} ${'licenses'.padStart(10)}`,
    );
    lines.push(
      `  ${''.padEnd(26)} ${'devices'.padStart(9)} ${'devices'.padStart(9)} ${'devices'.padStart(9)} ${'available'.padStart(10)}`,
    );
    for (const row of result.plan) {
      const line = `  ${row.service.padEnd(26)} ${count(row.eligible, row.countsExact ? row.countsExact.licensed && row.countsExact.unlicensed : undefined).padStart(9)} ${count(row.licensed, row.countsExact?.licensed).padStart(9)} ${count(row.toChange, row.exact).padStart(9)} ${n(row.licensesAvailable).padStart(10)}`;
      lines.push(row.shortfall ? s('yellow', line) : line);
    }
  }
  if (toStdout) {
    io.out(lines.join('\n'));
    for (const warning of result.warnings) io.warn(io.style('yellow', `warning: ${warning}`));
    return;
  }
  for (const warning of result.warnings) lines.push(s('yellow', `warning: ${warning}`));
  io.streams.stderr.write(`${lines.join('\n')}\n`);
}

function names(listed: CustomerRef[]): string {
  const shown = listed.slice(0, 5).map((c) => `${c.name} (${c.id})`);
  return listed.length > 5 ? `${shown.join(', ')} and ${listed.length - 5} more` : shown.join(', ');
}

function titleOf(result: JobResult): string {
  if (result.action === 'autolicense-enable') return 'Enable auto-licensing of';
  if (result.action === 'autolicense-disable') return 'Disable auto-licensing of';
  return result.verb === 'assign' ? 'Assign' : 'Unassign';
}

export function renderJob(result: JobResult, ctx: Context): void {
  const { io } = ctx;
  if (result.dryRun) {
    renderPlan(result, ctx, 'stdout');
    io.info('Dry run: nothing was sent.');
    return;
  }
  const verbText =
    result.action === 'autolicense-enable'
      ? 'Auto-licensing'
      : result.action === 'autolicense-disable'
        ? 'Disabling auto-licensing'
        : result.verb === 'assign'
          ? 'Assignment'
          : 'Removal';
  const sent = result.requests.filter((r) => r.status === 'accepted').length;
  const tail = result.wait
    ? `${result.outcome}: ${formatProgress(result.wait)}`
    : result.action === 'autolicense-disable'
      ? 'current licenses stay as they are'
      : result.action === 'autolicense-enable'
        ? 'devices in scope are licensed in the background (add --wait to follow it), new ones as they appear'
        : result.alreadyDone
          ? 'nothing to change: it was already done'
          : 'the job runs in the background in Central (add --wait to follow it)';
  io.out(
    `${verbText} of ${result.services.join(', ')} accepted for ${result.scope.customersInScope.toLocaleString('en-US')} customer${result.scope.customersInScope === 1 ? '' : 's'} in ${sent} request${sent === 1 ? '' : 's'}; ${tail}.`,
  );
}

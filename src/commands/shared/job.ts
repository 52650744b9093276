// assign / unassign / autolicense enable|disable: the steps of a run in their order — validate,
// plan (src/core/job-plan.ts, pure), confirm, send (job-send.ts), follow (job-wait.ts), record
// the history — and nothing else. Longer than most command files because runJob is the one place
// where those steps meet; each step lives in its own module beside it.
import { fetchLicenseStatus, sendAutoLicense, sendLicenseJob } from '../../central/api.js';
import { redact } from '../../central/redact.js';
import { appendHistory, type ResultEvent, type SentEvent } from '../../config/history.js';
import type { Context, Session } from '../../context.js';
import type { CustomerRef } from '../../core/customers.js';
import { formatDuration } from '../../core/duration.js';
import {
  acceptedButLost,
  actionOf,
  checkWaitDurations,
  dayBudgetShortfall,
  type JobKind,
  type JobResult,
  jobTargets,
  outcomeOf,
  partlySent,
  pauseWarnings,
  planRows,
  planWarnings,
  requestRecord,
  stalledMessage,
} from '../../core/job-plan.js';
import { formatProgress, type Progress, type Verb } from '../../core/progress.js';
import { type JobRequest, planRequests, type Scope, scopeMode } from '../../core/scope.js';
import { CancelledError, RateLimitError, StalledError, UsageError, WaitTimeoutError } from '../../errors.js';
import type { AssignOptions } from '../../flags.js';
import { confirm } from '../../ui/prompt.js';
import { forgetAutoLicenseAnswers } from './autolicense.js';
import { resolveScope, resolveServices, scopeReferences } from './data.js';
import { sendAll } from './job-send.js';
import { type Verify, waitForJob } from './job-wait.js';
import { measureScope } from './measure.js';
import { resumeOptions, unsentRecord } from './resume.js';

export type { JobKind, JobResult, Outcome, PlanRow, RequestRecord } from '../../core/job-plan.js';

import { renderPlan } from './job-render.js';

export { renderJob, renderPlan } from './job-render.js';

/**
 * What a job command receives (flags.ts): assign's options; `autolicense disable` has no wait, so
 * its durations are absent.
 */
export type JobOptions = Omit<AssignOptions, 'wait' | 'timeout' | 'interval' | 'stallAfter'> &
  Partial<Pick<AssignOptions, 'wait' | 'timeout' | 'interval' | 'stallAfter'>>;

const MEASURE_BUDGET = 200;

/** --wait's durations, or none without --wait (`autolicense disable` has no such flags). */
function waitDurations(
  options: JobOptions,
): { timeoutMs: number; intervalMs: number; stallAfterMs: number } | undefined {
  if (!options.wait) return undefined;
  const { timeout, interval, stallAfter } = options;
  if (timeout === undefined || interval === undefined || stallAfter === undefined)
    throw new Error('--wait without its durations');
  checkWaitDurations(interval, stallAfter);
  return { timeoutMs: timeout, intervalMs: interval, stallAfterMs: stallAfter };
}

interface Validated {
  session: Session;
  services: string[];
  scope: Scope;
  allCustomers: CustomerRef[];
  /** The same scope from a customers list fetched now (for a complement list: see runJob). */
  freshScope: () => Promise<{ scope: Scope; all: CustomerRef[] }>;
  selectors: Array<{ selector: string; matched: number }>;
}

async function validate(ctx: Context, options: JobOptions): Promise<Validated> {
  const references = scopeReferences(options, ctx.io); // bad flags and unreadable lists: before any call
  const session = ctx.session();

  const matched = await resolveServices(ctx, session, options.services ?? []);
  let resolved = await resolveScope(ctx, session, references);
  // "All but these" sent as an explicit list of the others must name every customer that exists
  // now: a cached list would leave out customers created since (unlicensed, and exit 0).
  const freshScope = async () => {
    if (resolved.fromCache) resolved = await resolveScope(ctx, session, references, true);
    return resolved;
  };
  return {
    session,
    services: matched,
    scope: resolved.scope,
    allCustomers: resolved.all,
    freshScope,
    selectors: resolved.selectors,
  };
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
  const { chunkSize } = options;
  const waitSettings = waitDurations(options);
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
    scope: {
      mode: scope.mode,
      customersInScope: scope.inScope.length,
      listed: scope.listed,
      ...(validated.selectors.length ? { selectors: validated.selectors } : {}),
    },
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

  if (waitSettings) {
    // Before anything is sent: can today's API budget pay for the wait? (Known from the
    // X-RateLimit-Remaining-day header of the calls made so far.)
    const shortfall = dayBudgetShortfall(
      session.client.metrics,
      services.length,
      plan.requests.length,
      waitSettings.timeoutMs,
      waitSettings.intervalMs,
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
  const now = () => new Date().toISOString();
  appendHistory(ctx.dir, {
    ...base,
    event: 'sent' as const,
    time: now(),
    scope: {
      mode: scope.mode,
      customersInScope: scope.inScope.length,
      listed: scope.listed.map((c) => c.id),
    },
    strategy: plan.strategy,
    plannedRequests: plan.requests.length,
    ...(resumeOf ? { resumeOf } : {}),
  } satisfies SentEvent);
  const unsent: JobRequest[] = [];

  let progress: Progress | undefined;
  let failure: string | undefined;
  let polls = 0;
  const started = ctx.clock.now();
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
    } else if (waitSettings) {
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
      const waited = await waitForJob(ctx, session, verb, targets, waitSettings, verify);
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
      forgetAutoLicenseAnswers(ctx, session);
    }
    if (progress) {
      result.wait = {
        done: progress.done,
        ...(progress.needed === undefined ? {} : { needed: progress.needed, percent: progress.percent }),
        exact: progress.exact,
        polls,
        elapsedMs: ctx.clock.now() - started,
        services: progress.services,
      };
    }
    result.apiCalls = session.client.metrics.calls;
    appendHistory(ctx.dir, {
      ...base,
      event: 'result' as const,
      time: now(),
      outcome: result.outcome,
      strategy: result.strategy,
      requests: result.requests,
      ...(result.wait ? { counts: { done: result.wait.done, needed: result.wait.needed ?? null } } : {}),
      apiCalls: result.apiCalls,
      ...(failure ? { error: failure } : {}),
      ...(unsent.length ? { unsent: unsent.map(unsentRecord) } : {}),
    } satisfies ResultEvent);
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
      `Still pending after ${formatDuration(waitSettings?.timeoutMs ?? 0)}: ${progress ? formatProgress(progress) : 'no progress seen'}.`,
      { hint: "The job goes on in Central; check later with 'msp-license status' (same scope flags)." },
    );
  }
  return result;
} /**
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

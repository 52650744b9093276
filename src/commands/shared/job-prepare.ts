// The first half of a license job: everything that can be refused is refused before the first
// call (flags, scope, --wait durations, unassign without --yes off a terminal), then the services
// and customers are resolved, the requests planned (src/core/job-plan.ts, pure), the scope counted
// when the plan will be shown or followed, and the result filled as far as it is known before
// anything is sent. Nothing here changes anything in Central.
import { fetchLicenseStatus } from '../../central/api.js';
import type { Context, Session } from '../../context.js';
import type { CustomerRef } from '../../core/customers.js';
import {
  actionOf,
  checkWaitDurations,
  dayBudgetShortfall,
  type JobKind,
  type JobResult,
  pauseWarnings,
  planRows,
  planWarnings,
} from '../../core/job-plan.js';
import type { Verb } from '../../core/progress.js';
import { planRequests, type Scope, scopeMode } from '../../core/scope.js';
import { RateLimitError, UsageError } from '../../errors.js';
import type { AssignOptions } from '../../flags.js';
import { resolveScope, resolveServices, scopeReferences } from './data.js';
import type { WaitSettings } from './job-wait.js';
import { measureScope, type ScopeMeasure } from './measure.js';
import { resumeOptions } from './resume.js';

/**
 * What a job command receives (flags.ts): assign's options; `autolicense disable` has no wait, so
 * its durations are absent.
 */
export type JobOptions = Omit<AssignOptions, 'wait' | 'timeout' | 'interval' | 'stallAfter'> &
  Partial<Pick<AssignOptions, 'wait' | 'timeout' | 'interval' | 'stallAfter'>>;

/** A job resolved and planned, not sent: what confirming and executing it need. */
export interface PreparedJob {
  verb: Verb;
  kind: JobKind;
  action: string;
  /** The options after --resume took the services and scope from the history. */
  options: JobOptions;
  resumeOf: string | undefined;
  session: Session;
  services: string[];
  scope: Scope;
  allCustomers: CustomerRef[];
  freshScope: () => Promise<{ scope: Scope; all: CustomerRef[] }>;
  plan: ReturnType<typeof planRequests>;
  measure: ScopeMeasure | undefined;
  rows: JobResult['plan'];
  /** Enable: whether Central pauses each service (undefined: unreadable). */
  paused: Array<boolean | undefined>;
  waitSettings: WaitSettings | undefined;
  /** A person is asked before sending (a terminal, no --yes, no --dry-run). */
  confirming: boolean;
  result: JobResult;
}

export const MEASURE_BUDGET = 200;

/** --wait's durations, or none without --wait (`autolicense disable` has no such flags). */
function waitDurations(options: JobOptions): WaitSettings | undefined {
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

export async function prepareJob(
  ctx: Context,
  verb: Verb,
  given: JobOptions,
  kind: JobKind,
): Promise<PreparedJob> {
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

  return {
    verb,
    kind,
    action,
    options,
    resumeOf,
    session,
    services,
    scope,
    allCustomers,
    freshScope,
    plan,
    measure,
    rows,
    paused,
    waitSettings,
    confirming,
    result,
  };
}

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

// The license job's plan and report, pure: the rows (devices and licenses per service), the
// warnings, what --wait watches, the day-budget check, the request records, the outcome of an
// error. No I/O: src/commands/shared/job.ts runs the job with these (job-send.ts sends it,
// job-wait.ts follows it, job-render.ts shows it).

import { CliError, ExitCode, InterruptedError, StalledError, UsageError } from '../errors.js';
import type { CustomerRef } from './customers.js';
import { formatDuration } from './duration.js';
import { formatProgress, type Progress, type ServiceTarget, type Verb } from './progress.js';
import type { JobRequest, Scope } from './scope.js';
import { count, plural } from './text.js';

/**
 * How a scope was measured (src/commands/shared/measure.ts): MSP-wide stats per service, the
 * in-scope counts when known, their exactness, and why they are unknown or upper bounds.
 */
export interface MeasuredScope {
  mspWide: Array<{
    service: string;
    licensesUsed: number;
    unlicensedDevices: number;
    licensesAvailable?: number;
  }>;
  inScope?: Array<{ service: string; licensed: number; unlicensed: number }>;
  exact: { licensed: boolean; unlicensed: boolean };
  method: string;
  reason?: string;
}

type WideStats = MeasuredScope['mspWide'][number];

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
    /** What each `group:` / `name:` selector matched. */
    selectors?: Array<{ selector: string; matched: number }>;
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

export function planRows(verb: Verb, services: string[], measure: MeasuredScope | undefined): PlanRow[] {
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

export function planWarnings(verb: Verb, rows: PlanRow[], measure: MeasuredScope | undefined): string[] {
  const warnings: string[] = [];
  const n = (x: number | undefined) => count(x ?? 0);
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

export function pauseWarnings(services: string[], paused: Array<boolean | undefined>): string[] {
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
export function jobTargets(verb: Verb, rows: PlanRow[], measure: MeasuredScope | undefined): ServiceTarget[] {
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
export function remainingOf(verb: Verb, stats: WideStats): number {
  return verb === 'assign' ? stats.unlicensedDevices : stats.licensesUsed;
}

/**
 * The worst case of `--wait` in API calls (every request sent, then one stats call per service per
 * poll until the timeout) against what is left of today's budget; a message when it does not fit.
 */
export function dayBudgetShortfall(
  metrics: { dayRemaining?: number; dayLimit?: number },
  services: number,
  requests: number,
  timeoutMs: number,
  intervalMs: number,
): string | undefined {
  const { dayRemaining, dayLimit } = metrics;
  if (dayRemaining === undefined) return undefined;
  const polls = Math.ceil(timeoutMs / intervalMs);
  const needed = requests + polls * services;
  if (needed <= dayRemaining) return undefined;
  return (
    `--wait may need up to ${count(needed)} API calls ` +
    `(${plural(requests, 'request')} + ${count(polls)} polls × ${plural(services, 'service')}) ` +
    `but only ${count(dayRemaining)} of today's budget${dayLimit ? ` of ${count(dayLimit)}` : ''} are left.`
  );
}

export function outcomeOf(error: unknown): Outcome {
  if (error instanceof InterruptedError) return 'interrupted';
  if (error instanceof StalledError) return 'stalled';
  return 'failed';
}

export function stalledMessage(progress: Progress | undefined): string {
  if (!progress) return 'The job stalled.';
  const blocked = progress.services.filter((s) => s.blocked).map((s) => s.service);
  const left = (progress.needed ?? 0) - progress.done;
  return blocked.length
    ? `Stalled with ${plural(left, 'device')} left unlicensed: no ${blocked.join(', ')} licenses left (${formatProgress(progress)}).`
    : `Stalled: no progress for a while (${formatProgress(progress)}).`;
}

export function requestRecord(
  index: number,
  request: JobRequest,
  status: RequestRecord['status'],
  httpStatus?: number,
) {
  const kind: RequestRecord['kind'] = request.include ? 'include' : request.exclude ? 'exclude' : 'all';
  const customers = request.include?.length ?? request.exclude?.length ?? 0;
  return { index, customers, kind, status, ...(httpStatus ? { httpStatus } : {}) };
}

export function describeRequest(request: JobRequest): string {
  if (request.include) return `${request.include.length} customers`;
  if (request.exclude) return `all but ${request.exclude.length} customers`;
  return 'all customers';
}

/**
 * An exclude list refused as too large (413/417) is never split (each request would license the
 * others' exclusions): it becomes the complement include list, in chunks half its size.
 */
export function complementChunks(exclude: string[], complement: string[]): JobRequest[] {
  const size = Math.max(1, Math.floor(exclude.length / 2));
  const chunks: JobRequest[] = [];
  for (let i = 0; i < complement.length; i += size) chunks.push({ include: complement.slice(i, i + size) });
  return chunks;
}

/**
 * The wait's durations, checked together (each flag's own range is checked where flags are parsed,
 * src/options.ts): a stall shorter than one poll would end every wait at its first poll.
 */
export function checkWaitDurations(intervalMs: number, stallAfterMs: number): void {
  if (stallAfterMs < intervalMs) {
    throw new UsageError(
      `--stall-after (${formatDuration(stallAfterMs)}) is shorter than --interval (${formatDuration(intervalMs)}): the wait would stall at the first poll.`,
      { hint: 'Make --stall-after at least as long as --interval.' },
    );
  }
}

/**
 * A failure while following a job Central already accepted: the same error (and exit code), but
 * saying the job was accepted and goes on, so nobody re-runs it believing nothing happened.
 */
export function acceptedButLost(error: unknown, result: JobResult): CliError {
  const sent = result.requests.filter((r) => r.status === 'accepted').length;
  const reason = error instanceof Error ? error.message : String(error);
  const cli = error instanceof CliError ? error : undefined;
  const message = `The job was accepted by Central (${plural(sent, 'request')}) and goes on there, but following it failed: ${reason}`;
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
export function partlySent(error: unknown, result: JobResult): CliError {
  const sent = result.requests.filter((r) => r.status === 'accepted');
  const customers = sent.reduce((sum, r) => sum + r.customers, 0);
  const reason = error instanceof Error ? error.message : String(error);
  const cli = error instanceof CliError ? error : undefined;
  return new CliError(
    `${sent.length} of ${result.requests.filter((r) => r.status !== 'split').length} requests were accepted (${plural(customers, 'customer')}: their job goes on in Central), then one failed: ${reason}`,
    cli?.exitCode ?? ExitCode.failure,
    {
      code: cli?.code ?? 'failure',
      hint: `Send what was not accepted with 'msp-license ${result.action?.replace('autolicense-', 'autolicense ') ?? result.verb} --resume' (or run the same command again: the accepted requests change nothing twice).${cli?.hint ? `\n${cli.hint}` : ''}`,
      ...(cli?.httpStatus === undefined ? {} : { httpStatus: cli.httpStatus }),
      retryable: cli?.retryable ?? false,
      cause: error,
    },
  );
}

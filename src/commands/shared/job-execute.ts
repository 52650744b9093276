// The second half of a license job, once it is confirmed: the history's `sent` record, the
// requests (job-send.ts: chunks, 409 waits, 413 splits), the wait (job-wait.ts, on ctx.clock), and
// always the `result` record with how it ended; then the verdict as an error with its exit code
// (stalled 7, timeout 8) or the result.
import { sendAutoLicense, sendLicenseJob } from '../../central/api.js';
import { redact } from '../../central/redact.js';
import { appendHistory, type ResultEvent, type SentEvent } from '../../config/history.js';
import type { Context } from '../../context.js';
import { formatDuration } from '../../core/duration.js';
import {
  acceptedButLost,
  type JobResult,
  jobTargets,
  outcomeOf,
  partlySent,
  stalledMessage,
} from '../../core/job-plan.js';
import { formatProgress, type Progress } from '../../core/progress.js';
import type { JobRequest } from '../../core/scope.js';
import { StalledError, WaitTimeoutError } from '../../errors.js';
import { forgetAutoLicenseAnswers } from './autolicense.js';
import { MEASURE_BUDGET, type PreparedJob } from './job-prepare.js';
import { sendAll } from './job-send.js';
import { type Verify, waitForJob } from './job-wait.js';
import { measureScope } from './measure.js';
import { unsentRecord } from './resume.js';

export async function executeJob(ctx: Context, job: PreparedJob): Promise<JobResult> {
  const { io } = ctx;
  const {
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
    result,
  } = job;
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
}

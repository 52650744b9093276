// assign / unassign / autolicense enable|disable: a run in its order — prepare (job-prepare.ts:
// refuse, resolve, plan, count), show the plan of a dry run, confirm, execute (job-execute.ts:
// history, send, wait, verdict).
import type { Context } from '../../context.js';
import type { JobKind, JobResult } from '../../core/job-plan.js';
import { requestRecord } from '../../core/job-plan.js';
import type { Verb } from '../../core/progress.js';
import { CancelledError } from '../../errors.js';
import { confirm } from '../../ui/prompt.js';
import { executeJob } from './job-execute.js';
import { type JobOptions, prepareJob } from './job-prepare.js';
import { renderPlan } from './job-render.js';

export type { JobKind, JobResult, Outcome, PlanRow, RequestRecord } from '../../core/job-plan.js';
export type { JobOptions } from './job-prepare.js';
export { renderJob, renderPlan } from './job-render.js';

/** A dry run's plan is the answer: printed under --quiet too (each job command's `answers`). */
export const jobAnswers = (result: JobResult): boolean => result.dryRun;

export async function runJob(
  ctx: Context,
  verb: Verb,
  given: JobOptions,
  kind: JobKind = 'license',
): Promise<JobResult> {
  const { io } = ctx;
  // A real run ends only with the job's true outcome, recorded: a closed output pipe (`| head`)
  // does not end it, before or after sending (see runtime.ts). A dry run just stops.
  if (!given.dryRun) ctx.mustFinish = true;
  const job = await prepareJob(ctx, verb, given, kind);
  const { options, plan, scope, session, result, confirming } = job;
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

  return executeJob(ctx, job);
}

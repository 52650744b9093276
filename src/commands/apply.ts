// apply -f POLICY | apply PLAN.json: the plan's jobs, run by the license job of assign / unassign /
// autolicense (src/commands/shared/job.ts: the same sending, 409 waits, 413 splits, --wait and
// history records, one per job) after one confirmation for the whole. A saved plan is refused when
// the state it was made from has changed (read again now). What was done is kept in a record
// (config dir, apply-runs/ID.json) so that `apply --resume` sends what a stopped run did not.
import type { Context, Session } from '../context.js';
import { checkWaitDurations } from '../core/job-plan.js';
import { CancelledError, CliError, ExitCode, UsageError } from '../errors.js';
import type { ApplyOptions } from '../flags.js';
import type { Policy } from '../policy/parse.js';
import type { PlannedJob } from '../policy/plan.js';
import { plural, table } from '../ui/format.js';
import { confirm } from '../ui/prompt.js';
import {
  type ApplyRecord,
  jobsOfPlan,
  loadRecord,
  newApplyId,
  profileHint,
  type RecordedJob,
  resumeRefusal,
  saveRecord,
  stoppedError,
} from './apply/record.js';
import { recordedLines, renderPlanBody } from './apply/render.js';
import { readSavedPlan, refuseStale } from './plan/saved.js';
import { readState } from './plan/state.js';
import { type PlanResult, planResult, policySession, readPolicy } from './plan.js';
import { type JobOptions, runJob } from './shared/job.js';

// The parts (docs/CONTRACTS.md): the record of what was done (apply/record.ts), the text
// (apply/render.ts); the plan itself is read as `plan` reads it (plan/state.ts, plan/saved.ts).
export type { ApplyRecord, RecordedJob } from './apply/record.js';
export { render } from './apply/render.js';
export type { ApplyOptions };

export interface ApplyResult {
  applyId?: string;
  dryRun: boolean;
  gateway: string;
  profile?: string;
  source: string;
  plan?: PlanResult;
  jobs: Array<RecordedJob & { customersCount: number; apiCalls?: number }>;
  outcome: 'nothing-to-do' | 'dry-run' | 'done';
  apiCalls: number;
}

const VERB: Record<PlannedJob['action'], ['assign' | 'unassign', 'license' | 'autolicense']> = {
  assign: ['assign', 'license'],
  unassign: ['unassign', 'license'],
  'autolicense-enable': ['assign', 'autolicense'],
  'autolicense-disable': ['unassign', 'autolicense'],
};

/** What to run: the jobs, the session they run in, and where they came from. */
interface Source {
  jobs: RecordedJob[];
  session: Session;
  source: string;
  plan?: PlanResult;
  record?: ApplyRecord;
}

/** `--resume [ID]`: the jobs a stopped run did not finish, on the gateway it ran on, within a day. */
function fromRecord(ctx: Context, which: boolean | string): Source {
  const session = ctx.session();
  const where = { gateway: session.baseUrl, profile: session.profileName };
  const record = loadRecord(ctx.dir, which, where);
  const refusal = resumeRefusal(record, where, Date.now());
  if (refusal) throw refusal;
  return {
    jobs: record.jobs.filter((j) => j.status !== 'done'),
    session,
    source: `record ${record.id}`,
    record,
  };
}

/** `-f POLICY` or a saved PLAN.json: the plan made now from the state read now (a stale saved plan refused). */
async function fromPolicy(
  ctx: Context,
  options: ApplyOptions,
  planFile: string | undefined,
): Promise<Source> {
  let policy: Policy;
  let saved: PlanResult | undefined;
  let text: string;
  let file: string;
  let source: string;
  if (planFile !== undefined) {
    saved = readSavedPlan(planFile);
    policy = saved.policy;
    text = '';
    file = saved.policyFile;
    source = planFile;
  } else {
    ({ policy, text, file } = readPolicy(ctx, options.file));
    source = file;
  }
  const session = policySession(ctx, policy);
  if (saved && saved.gateway !== session.baseUrl) {
    throw new UsageError(`The plan '${planFile}' was made for ${saved.gateway}, not ${session.baseUrl}.`, {
      hint: profileHint(saved.profile),
    });
  }
  const read = await readState(ctx, session, policy, options);
  const plan = planResult(ctx, session, read, { policy, text, file }, false);
  if (saved) {
    plan.policyHash = saved.policyHash;
    refuseStale(saved, plan, new Map([...read.desired.customers].map(([id, c]) => [id, c.name])), planFile);
  }
  if (plan.undecided && !options.dryRun) {
    throw new CliError(
      `Cannot apply the policy: ${plan.undecided.reason}; the state of ${plural(plan.undecided.customers, 'customer')} is unknown. Nothing was sent.`,
      ExitCode.failure,
      {
        code: 'state_unknown',
        hint: "Nothing is guessed. 'msp-license doctor' shows what this gateway answers.",
      },
    );
  }
  return { jobs: jobsOfPlan(plan.jobs), session, source, plan };
}

export async function run(ctx: Context, options: ApplyOptions, planFile?: string): Promise<ApplyResult> {
  const { io } = ctx;
  const sources = [options.file, planFile, options.resume].filter((x) => x !== undefined && x !== false);
  if (sources.length !== 1) {
    throw new UsageError(
      sources.length ? 'Give one of -f POLICY, a saved PLAN.json, or --resume.' : 'Nothing to apply.',
      {
        hint: 'msp-license apply -f licensing.yaml   |   msp-license apply plan.json   |   msp-license apply --resume',
      },
    );
  }
  // --timeout and friends were checked as flags (src/flags.ts), each alone, before any call. It
  // can remove licenses: as unassign, never without a terminal unless --yes, refused before
  // reading the state (which can cost most of a day's budget).
  if (!options.yes && !options.dryRun && !io.interactive) {
    throw new UsageError('apply can remove licenses from live devices: without a terminal it needs --yes.', {
      code: 'confirmation_required',
      hint: 'Add --yes to confirm (or --dry-run to see the plan first).',
    });
  }
  // ...and the wait's durations together, here: each job checks them too, but only when it waits
  // (an auto-licensing disable does not), so a later job would stop the apply half done.
  if (options.wait) checkWaitDurations(options.interval, options.stallAfter);

  const {
    jobs,
    session,
    source,
    plan,
    record: resumed,
  } = options.resume !== undefined && options.resume !== false
    ? fromRecord(ctx, options.resume)
    : await fromPolicy(ctx, options, planFile);

  const result: ApplyResult = {
    dryRun: Boolean(options.dryRun),
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    source,
    ...(plan ? { plan } : {}),
    jobs: jobs.map((j) => ({ ...j, customersCount: j.customers.length })),
    outcome: jobs.length === 0 ? 'nothing-to-do' : options.dryRun ? 'dry-run' : 'done',
    apiCalls: session.client.metrics.calls,
  };
  if (jobs.length === 0 || options.dryRun) return result;

  if (!options.yes) {
    if (plan) renderPlanBody(plan, ctx, 'stderr');
    else for (const line of table(recordedLines(jobs), [{}, {}, {}])) io.warn(line);
    const yes = await confirm(io, `Run ${plural(jobs.length, 'job')} now?`);
    if (!yes) throw new CancelledError();
  }

  ctx.mustFinish = true;
  const record: ApplyRecord = resumed ?? {
    id: newApplyId(Date.now()),
    createdAt: new Date().toISOString(),
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    policyFile: plan?.policyFile ?? source,
    jobs,
  };
  result.applyId = record.id;
  saveRecord(ctx.dir, record);
  const shared: Omit<JobOptions, 'services' | 'include' | 'wait'> = {
    exclude: undefined,
    includeFile: undefined,
    excludeFile: undefined,
    allCustomers: false,
    dryRun: false,
    resume: false,
    yes: true,
    timeout: options.timeout,
    interval: options.interval,
    stallAfter: options.stallAfter,
    chunkSize: options.chunkSize,
  };
  for (const [i, job] of jobs.entries()) {
    const [verb, kind] = VERB[job.action];
    io.info(
      `job ${i + 1}/${jobs.length}: ${job.action} ${job.services.join(', ')} → ${plural(job.customers.length, 'customer')}`,
    );
    const out = result.jobs[i] as ApplyResult['jobs'][number];
    try {
      const done = await runJob(
        ctx,
        verb,
        {
          ...shared,
          services: job.services,
          include: job.customers,
          // disable changes no license now: nothing to wait for.
          wait: Boolean(options.wait) && job.action !== 'autolicense-disable',
        },
        kind,
      );
      job.status = 'done';
      job.outcome = done.outcome;
      if (done.historyId) job.historyId = done.historyId;
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
      Object.assign(out, job);
      saveRecord(ctx.dir, record);
      throw stoppedError(record, i, jobs.length, job, error);
    }
    Object.assign(out, job);
    saveRecord(ctx.dir, record);
  }
  result.apiCalls = session.client.metrics.calls;
  return result;
}

/** A dry run's plan is the answer: printed under --quiet too. */
export const answers = (result: ApplyResult): boolean => result.dryRun || result.outcome === 'nothing-to-do';

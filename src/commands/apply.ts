// apply -f POLICY | apply PLAN.json: the plan's jobs, run by the license job of assign / unassign /
// autolicense (src/commands/shared/job.ts: the same sending, 409 waits, 413 splits, --wait and
// history records, one per job) after one confirmation for the whole. A saved plan is refused when
// the state it was made from has changed (read again now). What was done is kept in a record
// (config dir, apply-runs/ID.json) so that `apply --resume` sends what a stopped run did not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirPrivate, writeFileAtomic } from '../config/fs-private.js';
import type { Context, Session } from '../context.js';
import { isRecord } from '../core/json.js';
import { CancelledError, CliError, ExitCode, UsageError } from '../errors.js';
import type { ApplyOptions } from '../flags.js';
import type { Policy } from '../policy/parse.js';
import type { PlannedJob } from '../policy/plan.js';
import { count, plural, table } from '../ui/format.js';
import { confirm } from '../ui/prompt.js';
import {
  jobLines,
  PLAN_KIND,
  type PlanResult,
  planResult,
  policySession,
  readPolicy,
  readState,
  ruleLines,
  shortfallLines,
} from './plan.js';
import { type JobOptions, runJob } from './shared/job.js';

export type { ApplyOptions };

type JobStatus = 'pending' | 'done' | 'failed';

export interface RecordedJob {
  action: PlannedJob['action'];
  services: string[];
  customers: string[];
  status: JobStatus;
  historyId?: string;
  outcome?: string;
  error?: string;
}

/** What an apply did, job by job: written before the first job and after each one. */
export interface ApplyRecord {
  id: string;
  createdAt: string;
  gateway: string;
  profile?: string;
  policyFile: string;
  jobs: RecordedJob[];
}

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

const RECORDS = 'apply-runs';
const RESUME_MAX_AGE_MS = 24 * 3_600_000;

function recordPath(ctx: Context, id: string): string {
  return join(ctx.dir, RECORDS, `${id}.json`);
}

function saveRecord(ctx: Context, record: ApplyRecord): void {
  mkdirPrivate(join(ctx.dir, RECORDS));
  writeFileAtomic(recordPath(ctx, record.id), `${JSON.stringify(record, null, 2)}\n`);
}

function loadRecord(ctx: Context, which: boolean | string): ApplyRecord {
  const dir = join(ctx.dir, RECORDS);
  let id = typeof which === 'string' ? which : undefined;
  if (id !== undefined && !/^[a-z0-9-]{1,64}$/.test(id)) {
    throw new UsageError(`'${id}' is not an apply id.`, {
      hint: 'Ids are printed by apply (and kept in apply-runs/ in the config dir).',
    });
  }
  if (!id) {
    const unfinished = (existsSync(dir) ? readdirSync(dir) : [])
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((f) => {
        try {
          const r = JSON.parse(readFileSync(recordPath(ctx, f), 'utf8')) as ApplyRecord;
          return r.jobs.some((j) => j.status !== 'done');
        } catch {
          return false;
        }
      })
      .sort();
    id = unfinished.at(-1);
    if (!id)
      throw new UsageError('No unfinished apply to resume.', { hint: "Run 'msp-license apply -f POLICY'." });
  }
  try {
    const record = JSON.parse(readFileSync(recordPath(ctx, id), 'utf8')) as ApplyRecord;
    if (!Array.isArray(record.jobs)) throw new Error('no jobs');
    return record;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `No apply record '${id}'.` : `The apply record '${id}' cannot be read.`,
      { hint: "Run 'msp-license apply -f POLICY' again: it plans only what is left." },
    );
  }
}

/** A saved plan from its file; a UsageError (exit 2) unless it is one. */
function readSavedPlan(file: string): PlanResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the plan '${file}' (${code ?? 'not JSON'}).`, {
      hint: "Save a plan with 'msp-license plan -f POLICY --out FILE', or give the policy with -f.",
    });
  }
  if (!isRecord(value) || value.kind !== PLAN_KIND || value.version !== 1 || !isRecord(value.state)) {
    throw new UsageError(`'${file}' is not a plan saved by 'msp-license plan --out'.`, {
      hint: 'A policy file is given with -f: msp-license apply -f FILE.',
    });
  }
  return value as unknown as PlanResult;
}

/** What changed between the state a plan was made from and the state now, for the refusal. */
function changes(saved: PlanResult['state'], now: PlanResult['state'], names: Map<string, string>): string[] {
  const out: string[] = [];
  const ids = new Set([...Object.keys(saved.customers), ...Object.keys(now.customers)]);
  for (const id of ids) {
    if (saved.customers[id] !== now.customers[id]) out.push(`${names.get(id) ?? id} (${id})`);
  }
  return out;
}

const VERB: Record<PlannedJob['action'], ['assign' | 'unassign', 'license' | 'autolicense']> = {
  assign: ['assign', 'license'],
  unassign: ['unassign', 'license'],
  'autolicense-enable': ['assign', 'autolicense'],
  'autolicense-disable': ['unassign', 'autolicense'],
};

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
  // --timeout and friends were checked as flags (src/flags.ts), before any call.

  let jobs: RecordedJob[];
  let plan: PlanResult | undefined;
  let session: Session;
  let source: string;
  let record: ApplyRecord | undefined;
  if (options.resume !== undefined && options.resume !== false) {
    record = loadRecord(ctx, options.resume);
    session = ctx.session();
    if (record.gateway !== session.baseUrl) {
      throw new UsageError(
        `The apply record '${record.id}' is for ${record.gateway}, not ${session.baseUrl}.`,
        {
          hint: record.profile
            ? `Run with --profile ${record.profile}.`
            : 'Run with the profile it was made with.',
        },
      );
    }
    // A day-old record may no longer match the policy's intent (customers move, devices come):
    // plan again rather than replay it.
    if (Date.now() - Date.parse(record.createdAt) > RESUME_MAX_AGE_MS) {
      throw new UsageError(`The apply record '${record.id}' is more than a day old: it is not resumed.`, {
        hint: `Run 'msp-license apply -f ${record.policyFile}' again: it plans only what is left.`,
      });
    }
    jobs = record.jobs.filter((j) => j.status !== 'done');
    source = `record ${record.id}`;
  } else {
    let policy: Policy;
    let saved: PlanResult | undefined;
    let text: string;
    let file: string;
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
    session = policySession(ctx, policy);
    if (saved && saved.gateway !== session.baseUrl) {
      throw new UsageError(`The plan '${planFile}' was made for ${saved.gateway}, not ${session.baseUrl}.`, {
        hint: saved.profile
          ? `Run with --profile ${saved.profile}.`
          : 'Run with the profile it was made with.',
      });
    }
    const read = await readState(ctx, session, policy, options);
    plan = planResult(ctx, session, read, { policy, text, file }, false);
    if (saved) {
      plan.policyHash = saved.policyHash;
      if (saved.state.fingerprint !== plan.state.fingerprint) {
        const names = new Map([...read.desired.customers].map(([id, c]) => [id, c.name]));
        const changed = changes(saved.state, plan.state, names);
        throw new CliError(
          `The saved plan is stale: the state it was made from has changed for ${plural(changed.length, 'customer')} (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''}). Nothing was sent.`,
          ExitCode.failure,
          {
            code: 'stale_plan',
            hint: `Make a new plan: msp-license plan -f ${saved.policyFile} --out ${planFile}`,
          },
        );
      }
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
    jobs = plan.jobs.map((j) => ({
      action: j.action,
      services: j.services,
      customers: j.customers.map((c) => c.id),
      status: 'pending' as const,
    }));
  }

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

  // It can remove licenses: as unassign, never without a terminal unless --yes.
  if (!options.yes && !io.interactive) {
    throw new UsageError('apply can remove licenses from live devices: without a terminal it needs --yes.', {
      code: 'confirmation_required',
      hint: 'Add --yes to confirm (or --dry-run to see the plan first).',
    });
  }
  if (!options.yes) {
    if (plan) renderPlanBody(plan, ctx, 'stderr');
    else for (const line of table(recordedLines(jobs), [{}, {}, {}])) io.warn(line);
    const yes = await confirm(io, `Run ${plural(jobs.length, 'job')} now?`);
    if (!yes) throw new CancelledError();
  }

  ctx.mustFinish = true;
  record ??= {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    createdAt: new Date().toISOString(),
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    policyFile: plan?.policyFile ?? source,
    jobs,
  };
  result.applyId = record.id;
  saveRecord(ctx, record);
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
      saveRecord(ctx, record);
      const left = jobs.length - i;
      const cli = error instanceof CliError ? error : undefined;
      throw new CliError(
        `apply stopped at job ${i + 1} of ${jobs.length} (${job.action} ${job.services.join(', ')}): ${job.error}`,
        cli?.exitCode ?? ExitCode.failure,
        {
          code: cli?.code ?? 'failure',
          hint: `${plural(left, 'job')} not done: 'msp-license apply --resume ${record.id}' sends them (jobs are safe to repeat), or run 'msp-license apply -f ${record.policyFile}' again: it plans only what is left.${cli?.hint ? `\n${cli.hint}` : ''}`,
          ...(cli?.httpStatus === undefined ? {} : { httpStatus: cli.httpStatus }),
          retryable: cli?.retryable ?? false,
          cause: error,
        },
      );
    }
    Object.assign(out, job);
    saveRecord(ctx, record);
  }
  result.apiCalls = session.client.metrics.calls;
  return result;
}

function recordedLines(jobs: RecordedJob[]): string[][] {
  return jobs.map((j, i) => [
    `  ${i + 1}. ${j.action}`,
    j.services.join(', '),
    plural(j.customers.length, 'customer'),
  ]);
}

function renderPlanBody(plan: PlanResult, ctx: Context, target: 'stderr' | 'stdout'): void {
  const { io } = ctx;
  const write = (line: string) => (target === 'stdout' ? io.out(line) : io.warn(line));
  write(`Policy ${plan.policyFile} — ${plan.profile ? `profile ${plan.profile}, ` : ''}${plan.gateway}`);
  for (const line of table(ruleLines(plan), [{}, {}, {}])) write(line);
  if (plan.undecided)
    write(
      `Undecided: ${plan.undecided.reason}; no license job is planned for ${plural(plan.undecided.customers, 'customer')}.`,
    );
  write(`Drift: ${plural(plan.drift.length, 'customer')} of ${count(plan.customersCovered)}`);
  write(`Plan: ${plural(plan.jobs.length, 'job')}`);
  for (const line of table(jobLines(plan.jobs), [{}, {}, {}, {}])) write(line);
  for (const line of shortfallLines(plan.shortfall)) write(`Licenses short: ${line}`);
  for (const note of plan.notes) io.warn(`note: ${note}`);
}

export function render(result: ApplyResult, ctx: Context): void {
  const { io } = ctx;
  if (result.outcome === 'nothing-to-do') {
    io.out(
      result.plan?.undecided
        ? `Nothing decidable to do: ${result.plan.undecided.reason}.`
        : 'The estate matches the policy: nothing to do.',
    );
    return;
  }
  if (result.outcome === 'dry-run') {
    if (result.plan) renderPlanBody(result.plan, ctx, 'stdout');
    else for (const line of table(recordedLines(result.jobs), [{}, {}, {}])) io.out(line);
    io.info('Dry run: nothing was sent.');
    return;
  }
  io.out(`Applied ${plural(result.jobs.length, 'job')} (apply ${result.applyId}):`);
  for (const line of table(
    result.jobs.map((j, i) => [
      `  ${i + 1}. ${j.action}`,
      j.services.join(', '),
      plural(j.customersCount, 'customer'),
      j.outcome ?? j.status,
      j.historyId ? `history ${j.historyId}` : '',
    ]),
    [{}, {}, {}, {}, {}],
  ))
    io.out(line);
  io.info(io.style('dim', `${count(result.apiCalls)} API calls.`));
}

/** A dry run's plan is the answer: printed under --quiet too. */
export const answers = (result: ApplyResult): boolean => result.dryRun || result.outcome === 'nothing-to-do';

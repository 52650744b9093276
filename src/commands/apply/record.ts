// apply's record of what it did, job by job (config dir, apply-runs/ID.json, 0600, written
// atomically before the first job and after each one), so that `apply --resume [ID]` sends what a
// stopped run did not. A record more than a day old is not replayed: plan again. The choice of the
// record to resume and the refusals are pure (latestUnfinished, resumeRefusal, jobsOfPlan).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirPrivate, writeFileAtomic } from '../../config/fs-private.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import type { PlannedJob } from '../../policy/plan.js';
import { plural } from '../../ui/format.js';

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

const RECORDS = 'apply-runs';
export const RESUME_MAX_AGE_MS = 24 * 3_600_000;

export const isApplyId = (id: string): boolean => /^[a-z0-9-]{1,64}$/.test(id);

/** A new record's id: its time (base 36, so ids sort by age) and a random part. */
export const newApplyId = (now: number): string =>
  `${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** The plan's jobs as the record keeps them: customer ids, all pending. */
export function jobsOfPlan(jobs: PlannedJob[]): RecordedJob[] {
  return jobs.map((j) => ({
    action: j.action,
    services: j.services,
    customers: j.customers.map((c) => c.id),
    status: 'pending' as const,
  }));
}

/** Where a run acts: its gateway and profile. */
export interface RunPlace {
  gateway: string;
  profile: string | undefined;
}

/**
 * Of the records read (undefined: unreadable), the newest id with a job not done, made on this
 * gateway with this profile: another account's record is never picked by a bare --resume.
 */
export function latestUnfinished(
  records: Array<[id: string, ApplyRecord | undefined]>,
  where: RunPlace,
): string | undefined {
  return records
    .filter(
      ([, r]) =>
        r?.jobs.some((j) => j.status !== 'done') &&
        r.gateway === where.gateway &&
        (r.profile ?? undefined) === where.profile,
    )
    .map(([id]) => id)
    .sort()
    .at(-1);
}

/** How to reach the gateway a record or a saved plan was made for. */
export const profileHint = (profile: string | undefined): string =>
  profile ? `Run with --profile ${profile}.` : 'Run with the profile it was made with.';

/** Why `record` is not resumed here (gateway and profile) at `now`, or undefined when it is. */
export function resumeRefusal(record: ApplyRecord, where: RunPlace, now: number): UsageError | undefined {
  if (record.gateway !== where.gateway) {
    return new UsageError(`The apply record '${record.id}' is for ${record.gateway}, not ${where.gateway}.`, {
      hint: profileHint(record.profile),
    });
  }
  if ((record.profile ?? undefined) !== where.profile) {
    return new UsageError(
      `The apply record '${record.id}' was made with ${record.profile ? `profile ${record.profile}` : 'no profile'}, not ${where.profile ? `profile ${where.profile}` : 'without one'}: its jobs are not sent with other credentials.`,
      { hint: profileHint(record.profile) },
    );
  }
  // A day-old record may no longer match the policy's intent (customers move, devices come):
  // plan again rather than replay it.
  if (now - Date.parse(record.createdAt) > RESUME_MAX_AGE_MS) {
    return new UsageError(`The apply record '${record.id}' is more than a day old: it is not resumed.`, {
      hint: `Run 'msp-license apply -f ${record.policyFile}' again: it plans only what is left.`,
    });
  }
  return undefined;
}

/**
 * What an apply that stopped at job `index` (from 0) of `total` ends with: the job's own exit code
 * and code, and how to finish (resume this record, or apply the policy again).
 */
export function stoppedError(
  record: ApplyRecord,
  index: number,
  total: number,
  job: RecordedJob,
  error: unknown,
): CliError {
  const cli = error instanceof CliError ? error : undefined;
  return new CliError(
    `apply stopped at job ${index + 1} of ${total} (${job.action} ${job.services.join(', ')}): ${job.error}`,
    cli?.exitCode ?? ExitCode.failure,
    {
      code: cli?.code ?? 'failure',
      hint: `${plural(total - index, 'job')} not done: 'msp-license apply --resume ${record.id}' sends them (jobs are safe to repeat), or run 'msp-license apply -f ${record.policyFile}' again: it plans only what is left.${cli?.hint ? `\n${cli.hint}` : ''}`,
      ...(cli?.httpStatus === undefined ? {} : { httpStatus: cli.httpStatus }),
      retryable: cli?.retryable ?? false,
      cause: error,
    },
  );
}

function recordPath(dir: string, id: string): string {
  return join(dir, RECORDS, `${id}.json`);
}

/** Saves `record` in the config dir `dir` (apply-runs/ created 0700). */
export function saveRecord(dir: string, record: ApplyRecord): void {
  mkdirPrivate(join(dir, RECORDS));
  writeFileAtomic(recordPath(dir, record.id), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record `which` names, or (true) the newest unfinished one; UsageError (exit 2) when none. */
export function loadRecord(configDir: string, which: boolean | string, where: RunPlace): ApplyRecord {
  const dir = join(configDir, RECORDS);
  let id = typeof which === 'string' ? which : undefined;
  if (id !== undefined && !isApplyId(id)) {
    throw new UsageError(`'${id}' is not an apply id.`, {
      hint: 'Ids are printed by apply (and kept in apply-runs/ in the config dir).',
    });
  }
  if (!id) {
    const ids = (existsSync(dir) ? readdirSync(dir) : [])
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    id = latestUnfinished(
      ids.map((f) => [f, readRecord(configDir, f)]),
      where,
    );
    if (!id)
      throw new UsageError('No unfinished apply of this profile and gateway to resume.', {
        hint: "Run 'msp-license apply -f POLICY'.",
      });
  }
  try {
    return readRecordOrThrow(configDir, id);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `No apply record '${id}'.` : `The apply record '${id}' cannot be read.`,
      { hint: "Run 'msp-license apply -f POLICY' again: it plans only what is left." },
    );
  }
}

function readRecordOrThrow(configDir: string, id: string): ApplyRecord {
  const record = JSON.parse(readFileSync(recordPath(configDir, id), 'utf8')) as ApplyRecord;
  if (!Array.isArray(record.jobs)) throw new Error('no jobs');
  return record;
}

function readRecord(configDir: string, id: string): ApplyRecord | undefined {
  try {
    return readRecordOrThrow(configDir, id);
  } catch {
    return undefined;
  }
}

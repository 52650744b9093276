import type { Context } from '../context.js';
import { type JobOptions, type JobResult, renderJob, runJob } from './shared/job.js';

export function run(ctx: Context, options: JobOptions): Promise<JobResult> {
  return runJob(ctx, 'unassign', options);
}

export const render = renderJob;

/** A dry run's plan is the answer: printed under --quiet too. */
export const answers = (result: JobResult): boolean => result.dryRun;

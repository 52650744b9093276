import type { Context } from '../context.js';
import { type JobOptions, type JobResult, jobAnswers, renderJob, runJob } from './shared/job.js';

export function run(ctx: Context, options: JobOptions): Promise<JobResult> {
  return runJob(ctx, 'assign', options);
}

export const render = renderJob;
export const answers = jobAnswers;

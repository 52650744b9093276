// autolicense enable: turn on Central's MSP auto-licensing for services and a scope. It also
// assigns them now, so it is planned, confirmed, sent, recorded and (with --wait) followed
// exactly like `assign`; the plan warns first when Central would pause it for want of licenses.
import type { Context } from '../context.js';
import { type JobOptions, type JobResult, jobAnswers, renderJob, runJob } from './shared/job.js';

export function run(ctx: Context, options: JobOptions): Promise<JobResult> {
  return runJob(ctx, 'assign', options, 'autolicense');
}

export const render = renderJob;
export const answers = jobAnswers;

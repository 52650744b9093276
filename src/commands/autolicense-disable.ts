// autolicense disable: turn Central's MSP auto-licensing off for services and a scope. Current
// licenses stay as they are; like `unassign` it needs --yes without a terminal.
import type { Context } from '../context.js';
import { type JobOptions, type JobResult, jobAnswers, renderJob, runJob } from './shared/job.js';

export function run(ctx: Context, options: JobOptions): Promise<JobResult> {
  return runJob(ctx, 'unassign', options, 'autolicense');
}

export const render = renderJob;
export const answers = jobAnswers;

// apply, shown: the plan (on stderr before the confirmation, on stdout for a dry run), a resumed
// record's jobs, and what was applied. The line builders are pure.
import type { Context } from '../../context.js';
import { count, plural, table } from '../../ui/format.js';
import type { ApplyResult } from '../apply.js';
import { jobLines, ruleLines, shortfallLines } from '../plan/render.js';
import type { PlanResult } from '../plan.js';
import type { RecordedJob } from './record.js';

export function recordedLines(jobs: RecordedJob[]): string[][] {
  return jobs.map((j, i) => [
    `  ${i + 1}. ${j.action}`,
    j.services.join(', '),
    plural(j.customers.length, 'customer'),
  ]);
}

export function appliedLines(jobs: ApplyResult['jobs']): string[][] {
  return jobs.map((j, i) => [
    `  ${i + 1}. ${j.action}`,
    j.services.join(', '),
    plural(j.customersCount, 'customer'),
    j.outcome ?? j.status,
    j.historyId ? `history ${j.historyId}` : '',
  ]);
}

/** The plan without colour: before the confirmation (stderr) or as a dry run's answer (stdout). */
export function renderPlanBody(plan: PlanResult, ctx: Context, target: 'stderr' | 'stdout'): void {
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
  for (const line of table(appliedLines(result.jobs), [{}, {}, {}, {}, {}])) io.out(line);
  io.info(io.style('dim', `${count(result.apiCalls)} API calls.`));
}

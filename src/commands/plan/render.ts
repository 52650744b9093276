// plan, shown: the rules and what each selector matched, the drift (ten customers; --json has them
// all), the jobs, the licenses short; `--check` only says whether the estate matches. The line
// builders are pure and shared with apply's confirmation and dry run.
import type { Context } from '../../context.js';
import { type CustomerDrift, driftLine, type PlannedJob, type Shortfall } from '../../policy/plan.js';
import { count, plural, table } from '../../ui/format.js';
import type { PlanResult } from '../plan.js';

const ACTION_TEXT: Record<PlannedJob['action'], string> = {
  assign: 'assign',
  unassign: 'unassign',
  'autolicense-enable': 'autolicense enable',
  'autolicense-disable': 'autolicense disable',
};

export function ruleLines(result: Pick<PlanResult, 'rules'>): string[][] {
  return result.rules.map((r) => {
    const what = `${r.services.join(', ')} ${r.state}${r.auto === undefined ? '' : r.auto ? ', auto on' : ', auto off'}`;
    const sel = r.selectors.map((s) =>
      s.selector === 'all' ? 'all' : `${s.selector} (${count(s.matched)})`,
    );
    const except = r.exceptSelectors?.length
      ? ` but ${r.exceptSelectors.map((s) => `${s.selector} (${count(s.matched)})`).join(', ')}`
      : '';
    return [`  ${r.label}`, what, `${sel.join(', ')}${except} → ${plural(r.customers, 'customer')}`];
  });
}

export function jobLines(jobs: PlannedJob[]): string[][] {
  return jobs.map((job, i) => {
    const devices = job.services
      .filter((_s) => job.action !== 'autolicense-disable')
      .map((s) => `${s} ${count(job.devices[s] ?? 0)}`)
      .join(', ');
    return [
      `  ${i + 1}. ${ACTION_TEXT[job.action]}`,
      job.services.join(', '),
      plural(job.customers.length, 'customer'),
      devices ? `devices: ${devices}` : '',
    ];
  });
}

export function shortfallLines(shortfall: Shortfall[]): string[] {
  return shortfall.map(
    (s) =>
      `${s.service}: ${plural(s.needed, 'device')} to license, ${count(s.available)} licenses available: ${count(s.short)} will stay unlicensed.`,
  );
}

/** The first ten drifted customers' lines, and how many more --json has. */
export function driftSummary(drift: CustomerDrift[]): string[] {
  const shown = drift.slice(0, 10).map((d) => `  ${driftLine(d).replace(/^drift: /, '')}`);
  if (drift.length > 10)
    shown.push(`  … and ${plural(drift.length - 10, 'more customer')} (--json has them all)`);
  return shown;
}

export function render(result: PlanResult, ctx: Context): void {
  const { io } = ctx;
  if (result.check) {
    io.info(
      result.inSync
        ? `The estate matches the policy (${plural(result.customersCovered, 'customer')}).`
        : `${plural(result.drift.length, 'customer')} drifted from the policy ${result.policyFile}.`,
    );
    return;
  }
  io.out(
    `${io.styleOut('bold', 'Policy')} ${result.policyFile} — ${result.profile ? `profile ${result.profile}, ` : ''}${result.gateway}`,
  );
  for (const line of table(ruleLines(result), [{}, {}, {}])) io.out(line);
  io.out('');
  if (result.undecided) {
    io.out(
      io.styleOut(
        'yellow',
        `Undecided: ${result.undecided.reason}. The state of ${plural(result.undecided.customers, 'customer')} is unknown: no license job is planned for them (nothing is guessed).`,
      ),
    );
  }
  if (result.jobs.length === 0) {
    io.out(result.undecided ? 'Nothing else to do.' : 'The estate matches the policy: nothing to do.');
  } else {
    io.out(`Drift: ${plural(result.drift.length, 'customer')} of ${count(result.customersCovered)}`);
    for (const line of driftSummary(result.drift)) io.out(line);
    io.out('');
    io.out(`Plan: ${plural(result.jobs.length, 'job')}`);
    for (const line of table(jobLines(result.jobs), [{}, {}, {}, {}])) io.out(line);
  }
  for (const line of shortfallLines(result.shortfall))
    io.out(io.styleOut('yellow', `Licenses short: ${line}`));
  for (const note of result.notes) io.warn(io.style('dim', `note: ${note}`));
  if (result.savedTo) io.info(`Saved to ${result.savedTo}: 'msp-license apply ${result.savedTo}' runs it.`);
  io.info(
    io.style(
      'dim',
      `${count(result.apiCalls)} API calls${result.dayRemaining === undefined ? '' : `; ${count(result.dayRemaining)} left today`}.`,
    ),
  );
}

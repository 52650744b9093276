// Showing the license job: the plan (before a confirmation on stderr; a dry run's on stdout) and
// the one-line result.
import type { Context } from '../../context.js';
import type { CustomerRef } from '../../core/customers.js';
import type { JobResult } from '../../core/job-plan.js';
import { formatProgress } from '../../core/progress.js';
import { count, plural } from '../../ui/format.js';

/**
 * The plan. Before a confirmation it is a status message (stderr); for a dry run it is the
 * command's output (stdout, so `--dry-run > plan.txt` keeps it), with the warnings on stderr.
 */
export function renderPlan(
  result: JobResult,
  ctx: Context,
  target: 'stderr' | 'stdout' = 'stderr',
  /** Before the confirmation nothing is sent yet: the number of requests planned. */
  plannedRequests?: number,
): void {
  const { io } = ctx;
  const toStdout = target === 'stdout';
  // Each stream's own colour: a dry run's plan goes to stdout, the plan before a prompt to stderr.
  const s: typeof io.style = toStdout ? io.styleOut : io.style;
  const n = (x: number | undefined) => (x === undefined ? '?' : count(x));
  const lines: string[] = [];
  const scopeText =
    result.scope.mode === 'all'
      ? `all ${n(result.scope.customersInScope)} customers`
      : result.scope.mode === 'include'
        ? `${plural(result.scope.customersInScope, 'customer')}: ${names(result.scope.listed)}`
        : `${n(result.scope.customersInScope)} customers (all but ${names(result.scope.listed)})`;
  lines.push(`${s('bold', titleOf(result))} ${result.services.join(', ')}`);
  if (result.action === 'autolicense-enable') {
    lines.push(
      '  now       assigns them to every eligible device of the customers in scope; new devices later too',
    );
  } else if (result.action === 'autolicense-disable') {
    lines.push('  now       new devices are no longer licensed; current licenses stay as they are');
  }
  lines.push(`  gateway   ${result.gateway}${result.profile ? ` (profile ${result.profile})` : ''}`);
  lines.push(`  scope     ${scopeText}`);
  for (const m of result.scope.selectors ?? []) {
    lines.push(`            ${m.selector} matched ${plural(m.matched, 'customer')}`);
  }
  lines.push(
    `  requests  ${result.requests.length || plannedRequests || '?'} (${result.strategy === 'complement' ? 'exclude list sent as the complement include list' : result.strategy})`,
  );
  if (result.plan.some((r) => r.eligible !== undefined || r.licensesAvailable !== undefined)) {
    const count = (x: number | undefined, exact: boolean | undefined) =>
      `${exact === false && x !== undefined ? '≤' : ''}${n(x)}`;
    lines.push('');
    lines.push(
      `  ${'service'.padEnd(26)} ${'eligible'.padStart(9)} ${'licensed'.padStart(9)} ${(result.verb === 'assign' ? 'to assign' : 'to remove').padStart(9)} ${'licenses'.padStart(10)}`,
    );
    lines.push(
      `  ${''.padEnd(26)} ${'devices'.padStart(9)} ${'devices'.padStart(9)} ${'devices'.padStart(9)} ${'available'.padStart(10)}`,
    );
    for (const row of result.plan) {
      const line = `  ${row.service.padEnd(26)} ${count(row.eligible, row.countsExact ? row.countsExact.licensed && row.countsExact.unlicensed : undefined).padStart(9)} ${count(row.licensed, row.countsExact?.licensed).padStart(9)} ${count(row.toChange, row.exact).padStart(9)} ${n(row.licensesAvailable).padStart(10)}`;
      lines.push(row.shortfall ? s('yellow', line) : line);
    }
  }
  if (toStdout) {
    io.out(lines.join('\n'));
    for (const warning of result.warnings) io.warn(io.style('yellow', `warning: ${warning}`));
    return;
  }
  for (const warning of result.warnings) lines.push(s('yellow', `warning: ${warning}`));
  io.streams.stderr.write(`${lines.join('\n')}\n`);
}

function names(listed: CustomerRef[]): string {
  const shown = listed.slice(0, 5).map((c) => `${c.name} (${c.id})`);
  return listed.length > 5 ? `${shown.join(', ')} and ${listed.length - 5} more` : shown.join(', ');
}

function titleOf(result: JobResult): string {
  if (result.action === 'autolicense-enable') return 'Enable auto-licensing of';
  if (result.action === 'autolicense-disable') return 'Disable auto-licensing of';
  return result.verb === 'assign' ? 'Assign' : 'Unassign';
}

export function renderJob(result: JobResult, ctx: Context): void {
  const { io } = ctx;
  if (result.dryRun) {
    renderPlan(result, ctx, 'stdout');
    io.info('Dry run: nothing was sent.');
    return;
  }
  const verbText =
    result.action === 'autolicense-enable'
      ? 'Auto-licensing'
      : result.action === 'autolicense-disable'
        ? 'Disabling auto-licensing'
        : result.verb === 'assign'
          ? 'Assignment'
          : 'Removal';
  const sent = result.requests.filter((r) => r.status === 'accepted').length;
  const tail = result.wait
    ? `${result.outcome}: ${formatProgress(result.wait)}`
    : result.action === 'autolicense-disable'
      ? 'current licenses stay as they are'
      : result.action === 'autolicense-enable'
        ? 'devices in scope are licensed in the background (add --wait to follow it), new ones as they appear'
        : result.alreadyDone
          ? 'nothing to change: it was already done'
          : 'the job runs in the background in Central (add --wait to follow it)';
  io.out(
    `${verbText} of ${result.services.join(', ')} accepted for ${plural(result.scope.customersInScope, 'customer')} in ${plural(sent, 'request')}; ${tail}.`,
  );
}

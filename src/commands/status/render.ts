// status, shown: one table for the services and every customer's rows (so that all align), the
// incomplete customers under their names, the auto-licensing lines, the last job.
import type { Context } from '../../context.js';
import { count, plural, table } from '../../ui/format.js';
import type { StatusResult } from '../status.js';
import { bar, type CoverageRow } from './coverage.js';

export function render(result: StatusResult, ctx: Context): void {
  const { io } = ctx;
  const paint = (p: number, text: string) =>
    io.styleOut(p >= 100 ? 'green' : p >= 50 ? 'yellow' : 'red', text);
  // Bars on a terminal only: a file or pipe gets the numbers.
  const useBar = io.stdoutTTY && io.stdoutColor;
  const customers = result.customers ?? [];
  // One table for the services and every customer's rows, so that all align; a customer's rows
  // are printed under its name, further down.
  const cells = (label: string, r: CoverageRow) => [
    label,
    `${count(r.licensed)} / ${count(r.eligible)}`,
    `${paint(r.percent, `${useBar ? `${bar(r.percent)} ` : ''}${String(r.percent).padStart(3)}%`)}${r.missing ? `  (${count(r.missing)} devices unlicensed)` : ''}`,
  ];
  const rows: Array<{ of: CoverageRow; cells: string[] }> = [
    ...result.services.map((r) => ({ of: r, cells: cells(r.service, r) })),
    ...customers.flatMap((c) => c.services.map((r) => ({ of: r, cells: cells(`  ${r.service}`, r) }))),
  ];
  const [header = '', ...lines] = table(
    rows.map((r) => r.cells),
    [{ header: 'SERVICE', min: 7 }, { header: 'DEVICES LICENSED / ELIGIBLE', align: 'right' }, {}],
  );
  const lineOf = new Map(rows.map((r, i) => [r.of, lines[i] ?? '']));
  const line = (r: CoverageRow) => lineOf.get(r) ?? '';

  // One customer in scope: the summary is that customer's table; it is not repeated below.
  const only = customers.length === 1 && result.scope.customersInScope === 1 ? customers[0] : undefined;
  const scopeText = only
    ? `${only.name} (${only.id})`
    : result.scope.mode === 'all'
      ? `all ${count(result.scope.customersInScope)} customers`
      : `${plural(result.scope.customersInScope, 'customer')}${result.scope.mode === 'exclude' ? ` (all but ${count(result.scope.listed.length)})` : ''}`;
  io.out(
    `License coverage of ${scopeText}${result.countsInScope ? '' : ' (tenant-wide counts)'} — ${result.profile ? `profile ${result.profile}, ` : ''}${result.gateway}`,
  );
  if (result.services.length === 0) {
    io.out('No device in scope is eligible for any of these services.');
  } else {
    const free = (r: { licensesAvailable?: number }) =>
      r.licensesAvailable === undefined ? '' : `  ${count(r.licensesAvailable)} licenses free`;
    io.out(header);
    for (const r of result.services) io.out(`${line(r)}${free(r)}`);
  }
  // Per customer: the incomplete ones first (what needs attention), the complete ones counted.
  const withDevices = customers.filter((c) => c.services.some((s) => s.eligible > 0));
  const incomplete = withDevices.filter((c) => c.services.some((s) => s.missing > 0));
  const complete = withDevices.length - incomplete.length;
  for (const customer of only ? [] : incomplete) {
    io.out(`\n${customer.name} (${customer.id})`);
    for (const r of customer.services.filter((s) => s.eligible > 0)) io.out(line(r));
  }
  if (result.customers && !only) {
    io.out(
      `\n${count(complete)} of ${count(withDevices.length)} customers with eligible devices fully licensed${incomplete.length ? `; ${count(incomplete.length)} not (above)` : ''}.`,
    );
  }
  for (const a of result.autolicense ?? []) {
    const ago = a.ageMs < 60_000 ? 'just now' : `${Math.round(a.ageMs / 60_000)} min ago`;
    io.out(
      `auto-licensing ${a.service}: MSP default ${a.mspDefault === null ? 'unknown' : a.mspDefault ? 'on' : 'off'}, ${a.paused === null ? 'pause state unknown' : a.paused ? 'PAUSED (fewer licenses than devices)' : 'running'} (as of ${ago})`,
    );
  }
  if (result.lastJob) {
    const j = result.lastJob;
    io.info(
      io.style(
        'dim',
        `Last job from this machine: ${j.verb} ${j.services.join(', ')} at ${j.time}${j.outcome ? ` — ${j.outcome}` : ''} ('msp-license history' for more).`,
      ),
    );
  }
  if (result.note) io.info(io.style('dim', result.note));
}

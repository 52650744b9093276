// status: license coverage of a scope, per service and per customer (what an operator checks the
// morning after a cron run). Costs one stats call per service, plus one per service and customer
// for the per-customer view while that stays within a budget.
import type { Context } from '../context.js';
import { type CustomerRef, resolveCustomers } from '../core/customers.js';
import { buildScope, type ScopeFlags, scopeMode } from '../core/scope.js';
import { matchServices } from '../core/services.js';
import { UsageError } from '../errors.js';
import { loadCustomers, loadServices } from './shared/data.js';
import { measureScope } from './shared/measure.js';

const PER_CUSTOMER_BUDGET = 300;

export interface CoverageRow {
  service: string;
  licensed: number;
  eligible: number;
  percent: number;
}

export interface StatusResult {
  gateway: string;
  profile?: string;
  scope: { mode: string; customersInScope: number; listed: CustomerRef[] };
  services: Array<CoverageRow & { licenseAvailable?: number }>;
  customers?: Array<{ id: string; name: string; services: CoverageRow[] }>;
  note?: string;
  apiCalls: number;
}

const pct = (licensed: number, eligible: number) =>
  eligible === 0 ? 100 : Math.floor((licensed / eligible) * 100);

export async function run(
  ctx: Context,
  options: ScopeFlags & { services?: string[] },
): Promise<StatusResult> {
  const mode = scopeMode(options);
  const session = ctx.session();
  const servicesLoaded = await loadServices(ctx, session);
  const customers = await loadCustomers(ctx, session);
  const all = customers.data.map((c) => ({ id: c.id, name: c.name }));
  const listed =
    mode === 'all'
      ? []
      : resolveCustomers((mode === 'include' ? options.include : options.exclude) ?? [], all);
  if (options.includeFile || options.excludeFile) {
    throw new UsageError('status takes --include/--exclude lists on the command line only.');
  }
  const scope = buildScope(mode, listed, all);
  let services = options.services?.length
    ? matchServices(
        options.services,
        servicesLoaded.data.map((s) => s.name),
      )
    : servicesLoaded.data.filter((s) => s.central).map((s) => s.name);

  let measure = await measureScope(session, services, scope, all, {
    budget: PER_CUSTOMER_BUDGET,
    perCustomer: true,
  });
  let note: string | undefined;
  if (!measure.perCustomer) {
    note = `Per-customer view skipped: ${scope.inScope.length} customers × ${services.length} services would cost too many API calls; narrow the scope or --services.`;
    measure = await measureScope(session, services, scope, all, { budget: PER_CUSTOMER_BUDGET });
  }
  if (!options.services?.length) {
    // Without --services, report only the services some device in scope is eligible for.
    const keep = new Set(measure.mspWide.filter((s) => s.eligible > 0).map((s) => s.service));
    services = services.filter((s) => keep.has(s));
  }
  const rows = services.map((service) => {
    const i = measure.mspWide.findIndex((s) => s.service === service);
    const counts = measure.inScope?.[i] ?? measure.mspWide[i]!;
    return {
      service,
      licensed: counts.subscribed,
      eligible: counts.eligible,
      percent: pct(counts.subscribed, counts.eligible),
      ...(measure.mspWide[i]?.licenseAvailable === undefined
        ? {}
        : { licenseAvailable: measure.mspWide[i]!.licenseAvailable }),
    };
  });
  if (!measure.inScope)
    note = `${note ? `${note} ` : ''}Counts are tenant-wide: the in-scope share would cost too many API calls.`;
  const perCustomer = measure.perCustomer
    ? scope.inScope.map((c) => ({
        id: c.id,
        name: c.name,
        services: (measure.perCustomer?.get(c.id) ?? [])
          .filter((s) => services.includes(s.service))
          .map((s) => ({
            service: s.service,
            licensed: s.subscribed,
            eligible: s.eligible,
            percent: pct(s.subscribed, s.eligible),
          })),
      }))
    : undefined;
  return {
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    scope: { mode, customersInScope: scope.inScope.length, listed },
    services: rows,
    ...(perCustomer ? { customers: perCustomer } : {}),
    ...(note ? { note } : {}),
    apiCalls: session.client.metrics.calls,
  };
}

function bar(percent: number, width = 20): string {
  const filled = Math.round((percent / 100) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function render(result: StatusResult, ctx: Context): void {
  const { io } = ctx;
  const n = (x: number) => x.toLocaleString('en-US');
  const paint = (p: number, text: string) => io.style(p >= 100 ? 'green' : p >= 50 ? 'yellow' : 'red', text);
  const useBar = io.stdoutTTY && io.color;
  const line = (label: string, r: CoverageRow, width: number) =>
    `${label.padEnd(width)}  ${`${n(r.licensed)} / ${n(r.eligible)}`.padStart(17)}  ${paint(r.percent, `${useBar ? `${bar(r.percent)} ` : ''}${String(r.percent).padStart(3)}%`)}`;
  io.out(
    `Coverage for ${result.scope.mode === 'all' ? 'all' : n(result.scope.customersInScope)} customers (${result.gateway})`,
  );
  const width = Math.max(7, ...result.services.map((s) => s.service.length));
  io.out(`${'SERVICE'.padEnd(width)}  ${'LICENSED/ELIGIBLE'.padStart(17)}`);
  for (const row of result.services) io.out(line(row.service, row, width));
  if (result.customers) {
    for (const customer of result.customers) {
      const rows = customer.services.filter((s) => s.eligible > 0);
      if (!rows.length) continue;
      io.out(`\n${customer.name} (${customer.id})`);
      for (const row of rows) io.out(line(`  ${row.service}`, row, width + 2));
    }
  }
  if (result.note) io.info(io.style('dim', result.note));
}

// How many devices in a scope are eligible for / hold each service, from the stats endpoint.
// The MSP-wide stats cost one call per service; the in-scope share costs one call per service
// for each customer on the cheaper side of the scope (the listed customers or their complement).
// Past a budget the in-scope counts are left unknown rather than spending the day's API calls.
import { fetchStats, type ServiceStats } from '../../central/api.js';
import type { Session } from '../../context.js';
import type { CustomerRef } from '../../core/customers.js';
import type { Scope } from '../../core/scope.js';

export interface ServiceCounts {
  service: string;
  eligible: number;
  subscribed: number;
}

export interface ScopeMeasure {
  /** Tenant-wide stats per service (the polling baseline; carries the license pool). */
  mspWide: ServiceStats[];
  /** In-scope counts per service; undefined when too costly to know. */
  inScope?: ServiceCounts[];
  /** Per customer, when asked for and affordable. */
  perCustomer?: Map<string, ServiceCounts[]>;
  method: 'msp-wide' | 'listed' | 'complement' | 'unknown';
  calls: number;
}

export interface MeasureOptions {
  /** Most per-customer stats calls to spend. */
  budget: number;
  /** Break the counts down per in-scope customer (status). */
  perCustomer?: boolean;
  /** Tenant-wide stats already fetched for exactly these services, in order (saves those calls). */
  mspWide?: ServiceStats[];
  signal?: AbortSignal;
}

async function perCustomerStats(
  session: Session,
  services: string[],
  customers: CustomerRef[],
  signal?: AbortSignal,
): Promise<Map<string, ServiceCounts[]>> {
  const out = new Map<string, ServiceCounts[]>();
  // A few customers at a time, their services in parallel: the client's rate governor paces the
  // calls (7/s), so this only keeps the pipe full when the gateway answers slowly.
  let next = 0;
  const worker = async () => {
    while (next < customers.length) {
      signal?.throwIfAborted();
      const customer = customers[next++] as CustomerRef;
      const stats = await Promise.all(
        services.map((service) => fetchStats(session.client, service, { tenantId: customer.id })),
      ).catch((error: unknown) => {
        next = customers.length; // the other workers stop too
        throw error;
      });
      out.set(
        customer.id,
        stats.map((s) => ({ service: s.service, eligible: s.eligible, subscribed: s.subscribed })),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(3, customers.length) }, worker));
  // In the order of the customers list, whatever order the answers came in.
  return new Map(customers.flatMap((c) => (out.has(c.id) ? [[c.id, out.get(c.id)!] as const] : [])));
}

function sum(services: string[], rows: Iterable<ServiceCounts[]>): ServiceCounts[] {
  const totals = new Map(services.map((service) => [service, { service, eligible: 0, subscribed: 0 }]));
  for (const row of rows) {
    for (const counts of row) {
      const total = totals.get(counts.service);
      if (!total) continue;
      total.eligible += counts.eligible;
      total.subscribed += counts.subscribed;
    }
  }
  return [...totals.values()];
}

export async function measureScope(
  session: Session,
  services: string[],
  scope: Scope,
  all: CustomerRef[],
  options: MeasureOptions,
): Promise<ScopeMeasure> {
  const mspWide =
    options.mspWide ?? (await Promise.all(services.map((service) => fetchStats(session.client, service))));
  let calls = options.mspWide ? 0 : services.length;
  const wide = mspWide.map((s) => ({ service: s.service, eligible: s.eligible, subscribed: s.subscribed }));
  const inScopeIds = new Set(scope.inScope.map((c) => c.id));
  const outOfScope = all.filter((c) => !inScopeIds.has(c.id));

  if (options.perCustomer) {
    if (scope.inScope.length * services.length > options.budget) return { mspWide, method: 'unknown', calls };
    const perCustomer = await perCustomerStats(session, services, scope.inScope, options.signal);
    calls += scope.inScope.length * services.length;
    return { mspWide, inScope: sum(services, perCustomer.values()), perCustomer, method: 'listed', calls };
  }
  if (scope.mode === 'all' || outOfScope.length === 0)
    return { mspWide, inScope: wide, method: 'msp-wide', calls };

  const direct = scope.inScope.length <= outOfScope.length;
  const side = direct ? scope.inScope : outOfScope;
  if (side.length * services.length > options.budget) return { mspWide, method: 'unknown', calls };
  const rows = await perCustomerStats(session, services, side, options.signal);
  calls += side.length * services.length;
  const sideTotals = sum(services, rows.values());
  if (direct) return { mspWide, inScope: sideTotals, method: 'listed', calls };
  const inScope = wide.map((w, i) => ({
    service: w.service,
    eligible: Math.max(0, w.eligible - sideTotals[i]!.eligible),
    subscribed: Math.max(0, w.subscribed - sideTotals[i]!.subscribed),
  }));
  return { mspWide, inScope, method: 'complement', calls };
}

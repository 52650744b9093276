// How many devices in a scope hold each service and how many lack it, from `subscriptions/stats`
// read on its attested fields (docs/central-contract.md): licensed devices = `used` (one license
// per licensed device), unlicensed devices = `non_subscribed_devices`; the pool (`total`,
// `available`) comes from the MSP-wide answer only.
//
// Per tenant the counts need the `TenantID` header to scope the answer, which no public source
// settles: answers that cannot be one tenant's (equal to the MSP-wide answer for two tenants, or
// larger than it) show it is ignored, and the counts are then unknown rather than wrong. MSP-wide
// figures may include the MSP's own devices: they are upper bounds unless `doctor` found
// otherwise. Past a call budget the in-scope counts are left unknown rather than spending the
// day's API calls.
import { fetchStats, type ServiceStats } from '../../central/api.js';
import type { Context, Session } from '../../context.js';
import type { CustomerRef } from '../../core/customers.js';
import { from, pool } from '../../core/pool.js';
import type { Scope } from '../../core/scope.js';
import { type GatewayFacts, loadFacts, saveFacts } from './facts.js';

export interface ServiceCounts {
  service: string;
  /** Devices holding the service. */
  licensed: number;
  /** Devices eligible for the service that do not hold it. */
  unlicensed: number;
}

export interface ScopeMeasure {
  /** MSP-wide stats per service (the polling baseline; carries the license pool). */
  mspWide: ServiceStats[];
  /** In-scope device counts per service; undefined when unknown. */
  inScope?: ServiceCounts[];
  /**
   * Whether each in-scope figure is exact, or only an upper bound (MSP-wide figures that may
   * count the MSP's own devices).
   */
  exact: { licensed: boolean; unlicensed: boolean };
  /** Per customer, when asked for and affordable. */
  perCustomer?: Map<string, ServiceCounts[]>;
  method: 'msp-wide' | 'listed' | 'complement' | 'unknown';
  /** Why the counts are unknown or only upper bounds. */
  reason?: string;
  calls: number;
}

export interface MeasureOptions {
  /** Most per-customer stats calls to spend. */
  budget: number;
  /** Break the counts down per in-scope customer (status). */
  perCustomer?: boolean;
  /** MSP-wide stats already fetched for exactly these services, in order (saves those calls). */
  mspWide?: ServiceStats[];
  signal?: AbortSignal;
}

export const TENANT_STATS_IGNORED =
  "the gateway's stats do not scope to one tenant (the TenantID header is ignored), so per-customer counts cannot be known";
const MSP_MAYBE_COUNTED =
  "tenant-wide figures may include the MSP's own devices (run 'msp-license doctor' to find out), so they are upper bounds";

const counts = (s: ServiceStats): ServiceCounts => ({
  service: s.service,
  licensed: s.licensesUsed,
  unlicensed: s.unlicensedDevices,
});

/** One stats call per service and customer, a few customers at a time (the governor paces them). */
async function perCustomerStats(
  session: Session,
  services: string[],
  customers: CustomerRef[],
  facts: GatewayFacts,
  signal?: AbortSignal,
): Promise<Map<string, ServiceCounts[]>> {
  const out = new Map<string, ServiceCounts[]>();
  // A few customers at a time, their services in parallel: the client's rate governor paces the calls.
  await pool(from(customers), 3, async (customer) => {
    signal?.throwIfAborted();
    const stats = await Promise.all(
      services.map((service) =>
        fetchStats(session.client, service, { tenantId: customer.id, filter: facts.statsFilter }),
      ),
    );
    out.set(customer.id, stats.map(counts));
  });
  // In the order of the customers list, whatever order the answers came in.
  return new Map(customers.flatMap((c) => (out.has(c.id) ? [[c.id, out.get(c.id)!] as const] : [])));
}

const same = (a: ServiceCounts, b: ServiceCounts) =>
  a.licensed === b.licensed && a.unlicensed === b.unlicensed;

/**
 * Whether per-tenant answers can be one tenant's. Tenants are disjoint, so their sum can never
 * exceed the MSP-wide figures; and two tenants cannot each hold everything. Only services with
 * something MSP-wide can tell (all-zero answers agree with any reading). `undefined` when the
 * answers cannot tell (one tenant equal to the MSP-wide figures, or nothing to compare).
 */
export function tenantScoping(
  wide: ServiceCounts[],
  rows: ServiceCounts[][],
): 'scoped' | 'ignored' | undefined {
  const telling = wide.flatMap((w, i) => (w.licensed + w.unlicensed > 0 ? [i] : []));
  if (telling.length === 0) return undefined;
  for (const i of telling) {
    const w = wide[i] as ServiceCounts;
    let licensed = 0;
    let unlicensed = 0;
    for (const row of rows) {
      licensed += row[i]?.licensed ?? 0;
      unlicensed += row[i]?.unlicensed ?? 0;
    }
    if (licensed > w.licensed || unlicensed > w.unlicensed) return 'ignored';
  }
  const equalRows = rows.filter((row) =>
    telling.every((i) => row[i] && same(row[i], wide[i] as ServiceCounts)),
  );
  if (equalRows.length >= 2) return 'ignored';
  if (equalRows.length === 1) return undefined;
  return 'scoped';
}

function sum(services: string[], rows: Iterable<ServiceCounts[]>): ServiceCounts[] {
  const totals = new Map(services.map((service) => [service, { service, licensed: 0, unlicensed: 0 }]));
  for (const row of rows) {
    for (const c of row) {
      const total = totals.get(c.service);
      if (!total) continue;
      total.licensed += c.licensed;
      total.unlicensed += c.unlicensed;
    }
  }
  return [...totals.values()];
}

export async function measureScope(
  ctx: Context,
  session: Session,
  services: string[],
  scope: Scope,
  all: CustomerRef[],
  options: MeasureOptions,
): Promise<ScopeMeasure> {
  const facts = loadFacts(ctx, session);
  const mspWide =
    options.mspWide ??
    (await Promise.all(
      services.map((service) => fetchStats(session.client, service, { filter: facts.statsFilter })),
    ));
  let calls = options.mspWide ? 0 : services.length;
  const wide = mspWide.map(counts);
  const unknown = (reason?: string): ScopeMeasure => ({
    mspWide,
    exact: { licensed: false, unlicensed: false },
    method: 'unknown',
    ...(reason ? { reason } : {}),
    calls,
  });
  const tenantsIgnored = facts.tenantStats === 'ignored';

  /**
   * Per-tenant counts for `side`, checked for tenant scoping; undefined when the gateway ignores
   * TenantID (noticed now or before). One tenant equal to the MSP-wide figures is ambiguous: one
   * more tenant is asked to settle it.
   */
  const tenants = async (side: CustomerRef[]): Promise<Map<string, ServiceCounts[]> | undefined> => {
    if (tenantsIgnored) return undefined;
    const rows = await perCustomerStats(session, services, side, facts, options.signal);
    calls += side.length * services.length;
    if (facts.tenantStats === 'scoped') return rows;
    let verdict = tenantScoping(wide, [...rows.values()]);
    if (verdict === undefined) {
      const sideIds = new Set(side.map((c) => c.id));
      const other = all.find((c) => !sideIds.has(c.id));
      if (other) {
        const probe = await perCustomerStats(session, services, [other], facts, options.signal);
        calls += services.length;
        verdict = tenantScoping(wide, [...rows.values(), ...probe.values()]);
      }
    }
    if (verdict === 'ignored') {
      saveFacts(ctx, session, { tenantStats: 'ignored' }, 'run');
      return undefined;
    }
    return rows;
  };

  const listed = async (side: CustomerRef[]): Promise<ScopeMeasure> => {
    const rows = await tenants(side);
    if (!rows) return unknown(TENANT_STATS_IGNORED);
    return {
      mspWide,
      inScope: sum(services, rows.values()),
      exact: { licensed: true, unlicensed: true },
      ...(options.perCustomer ? { perCustomer: rows } : {}),
      method: 'listed',
      calls,
    };
  };
  const affordable = (n: number) => n * services.length <= options.budget;

  if (options.perCustomer) {
    if (!affordable(scope.inScope.length)) return unknown();
    return listed(scope.inScope);
  }

  const inScopeIds = new Set(scope.inScope.map((c) => c.id));
  const outOfScope = all.filter((c) => !inScopeIds.has(c.id));
  // MSP-wide `used` counts every license consumed, the MSP's own devices' too; whether MSP-wide
  // `non_subscribed_devices` counts them is a variant that only doctor settles.
  const wideExact = { licensed: false, unlicensed: facts.mspInWide === false };
  const bound = wideExact.unlicensed ? undefined : MSP_MAYBE_COUNTED;

  if (scope.mode === 'all' || outOfScope.length === 0) {
    // Exact from the tenants when affordable and not already known exact enough from MSP-wide.
    if (!wideExact.unlicensed && affordable(scope.inScope.length) && !tenantsIgnored) {
      const measured = await listed(scope.inScope);
      if (measured.inScope) return measured;
    }
    return {
      mspWide,
      inScope: wide,
      exact: wideExact,
      method: 'msp-wide',
      ...(bound ? { reason: bound } : {}),
      calls,
    };
  }

  // The listed customers' own counts are exact: worth their calls while affordable. The complement
  // (MSP-wide less the others) is cheaper for a short exclude list, but only an upper bound.
  if (affordable(scope.inScope.length)) return listed(scope.inScope);
  if (!affordable(outOfScope.length)) return unknown();
  const rows = await tenants(outOfScope);
  if (!rows) return unknown(TENANT_STATS_IGNORED);
  const out = sum(services, rows.values());
  const inScope = wide.map((w, i) => ({
    service: w.service,
    licensed: Math.max(0, w.licensed - out[i]!.licensed),
    unlicensed: Math.max(0, w.unlicensed - out[i]!.unlicensed),
  }));
  return {
    mspWide,
    inScope,
    exact: wideExact,
    method: 'complement',
    ...(bound ? { reason: bound } : {}),
    calls,
  };
}

// autolicense status, the pure part: from the cached answers (per customer, the MSP's own), the
// pause states and the MSP-wide stats, what each service's line says. No I/O.
import type { ServiceStats } from '../../central/api.js';
import type { CustomerRef } from '../../core/customers.js';
import type { AutoLicenseCache, PauseCache } from '../shared/autolicense.js';

export interface ServiceState {
  service: string;
  /** The MSP default: what tenants created from now on inherit (null: unknown). */
  mspDefault: boolean | null;
  /** Tenants in scope with it on / off / whose answer could not be read. */
  on: number;
  off: number;
  unknown: number;
  customersOff: CustomerRef[];
  /** Central's "licenses outnumber devices" is false: auto-licensing is paused (null: unknown). */
  paused: boolean | null;
  /** MSP-wide: devices (licensed + unlicensed, from stats) and licenses of the pool. */
  devices?: number;
  licenses?: number;
}

export type CustomerSetting = CustomerRef & { services: string[] | null; ageMs: number };

/**
 * The API calls a run costs: one per customer not answered from the cache, two per service (its
 * pause state and its stats). Without --services the services are those the cached answers name.
 */
export function callsNeeded(toFetch: number, explicitServices: number | undefined, cache: AutoLicenseCache) {
  const known =
    explicitServices ?? new Set(Object.values(cache).flatMap((entry) => entry.services ?? [])).size;
  return toFetch + 2 * Math.max(1, known);
}

/** The customers in scope with their cached answer and its age at `now`. */
export function customerSettings(
  inScope: CustomerRef[],
  cache: AutoLicenseCache,
  now: number,
): CustomerSetting[] {
  return inScope.map((c) => ({
    ...c,
    services: cache[c.id]?.services ?? null,
    ageMs: now - (cache[c.id]?.fetchedAt ?? now),
  }));
}

/** Without --services: every service on anywhere in scope or in the MSP default, sorted. */
export function servicesNamed(mspSetting: string[] | null, customers: CustomerSetting[]): string[] {
  return [...new Set([...(mspSetting ?? []), ...customers.flatMap((c) => c.services ?? [])])].sort();
}

/** One service's line: the MSP default, the tenants on / off / unreadable, the pause, the pool. */
export function serviceState(
  service: string,
  customers: CustomerSetting[],
  mspSetting: string[] | null,
  pauses: PauseCache,
  stats: Pick<ServiceStats, 'licensesUsed' | 'unlicensedDevices' | 'licensesTotal'>,
): ServiceState {
  const off = customers.filter((c) => c.services !== null && !c.services.includes(service));
  return {
    service,
    mspDefault: mspSetting === null ? null : mspSetting.includes(service),
    on: customers.filter((c) => c.services?.includes(service)).length,
    off: off.length,
    unknown: customers.filter((c) => c.services === null).length,
    customersOff: off.map(({ id, name }) => ({ id, name })),
    paused: pauses[service]?.paused ?? null,
    devices: stats.licensesUsed + stats.unlicensedDevices,
    ...(stats.licensesTotal === undefined ? {} : { licenses: stats.licensesTotal }),
  };
}

/** An answer's age, as the report says it. */
export const ageText = (ms: number): string =>
  ms < 60_000
    ? 'just now'
    : ms < 3_600_000
      ? `${Math.round(ms / 60_000)} min ago`
      : `${(ms / 3_600_000).toFixed(1)} h ago`;

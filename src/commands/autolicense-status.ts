// autolicense status: per service, the MSP default (what new tenants inherit), which tenants in
// scope have auto-licensing on or off, and whether Central has paused it for want of licenses.
// Central answers one customer per call, so the answers are cached (6 h, with their age), the
// cost is said before it is spent, and a cost beyond what is left of the day needs --yes.
import { fetchAutoLicense, fetchLicenseStatus, fetchMspId, fetchStats } from '../central/api.js';
import { writeCache } from '../config/cache.js';
import type { Context, Session } from '../context.js';
import type { CustomerRef } from '../core/customers.js';
import { from, pool } from '../core/pool.js';
import { RateLimitError } from '../errors.js';
import type { AutolicenseStatusOptions } from '../flags.js';
import { count, plural, table } from '../ui/format.js';
import { startProgress } from '../ui/spinner.js';
import {
  cacheKey,
  loadCustomers,
  readGatewayCache,
  resolveScope,
  resolveServices,
  scopeReferences,
} from './shared/data.js';
import { loadFacts } from './shared/facts.js';

export const AUTOLICENSE_TTL_MS = 6 * 3_600_000;
const CACHE = 'autolicense';
/** Calls left untouched today by autolicense status unless --yes. */
const DAY_RESERVE = 50;
const PAUSE_CACHE = 'autolicense-paused';

/** Per service: Central's pause state as last seen (null: unreadable). */
export type PauseCache = Record<string, { paused: boolean | null; fetchedAt: number }>;

export function readPauseCache(ctx: Context, session: Session): PauseCache {
  return readGatewayCache<PauseCache>(ctx, session, PAUSE_CACHE) as PauseCache;
}

/** The pause state of each service, asked now (one call each), and cached for `status`. */
export async function fetchPauses(ctx: Context, session: Session, services: string[]): Promise<PauseCache> {
  const cache = readPauseCache(ctx, session);
  for (const service of services) {
    const sufficient = await fetchLicenseStatus(session.client, service);
    cache[service] = { paused: sufficient === undefined ? null : !sufficient, fetchedAt: Date.now() };
  }
  writeCache(ctx.dir, cacheKey(session), PAUSE_CACHE, session.baseUrl, cache);
  return cache;
}

/** The MSP default (what new tenants inherit), asked now (one call) and cached. */
export async function fetchMspDefault(ctx: Context, session: Session): Promise<string[] | null | undefined> {
  const mspId = await mspIdOf(ctx, session);
  if (!mspId) return undefined;
  const services = (await fetchAutoLicense(session.client, mspId)) ?? null;
  const cache = readAutoLicenseCache(ctx, session);
  cache[mspId] = { services, fetchedAt: Date.now() };
  writeAutoLicenseCache(ctx, session, cache);
  return services;
}

/** One customer's answer: its auto-enabled services (null: the answer could not be read). */
export interface CachedSetting {
  services: string[] | null;
  fetchedAt: number;
}
export type AutoLicenseCache = Record<string, CachedSetting>;

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

export interface AutoLicenseStatusResult {
  gateway: string;
  profile?: string;
  scope: { mode: string; customersInScope: number; listed: CustomerRef[] };
  mspId?: string;
  services: ServiceState[];
  customers: Array<CustomerRef & { services: string[] | null; ageMs: number }>;
  /** Customers answered from the cache, and the oldest answer's age. */
  cached: number;
  oldestMs: number;
  apiCalls: number;
}

export function readAutoLicenseCache(ctx: Context, session: Session): AutoLicenseCache {
  return readGatewayCache<AutoLicenseCache>(ctx, session, CACHE) as AutoLicenseCache;
}

function writeAutoLicenseCache(ctx: Context, session: Session, data: AutoLicenseCache): void {
  writeCache(ctx.dir, cacheKey(session), CACHE, session.baseUrl, data);
}

/** The MSP's own customer id: from the customers list (`msp_id`), one small call when not cached. */
export async function mspIdOf(ctx: Context, session: Session): Promise<string | undefined> {
  const cached = (await loadCustomers(ctx, session)).data.find((c) => c.mspId)?.mspId;
  if (cached) return cached;
  return fetchMspId(session.client);
}

export async function run(ctx: Context, options: AutolicenseStatusOptions): Promise<AutoLicenseStatusResult> {
  const references = scopeReferences(options, ctx.io);
  const session = ctx.session();
  const { io } = ctx;
  const explicit = options.services?.length
    ? await resolveServices(ctx, session, options.services)
    : undefined;
  const { scope } = await resolveScope(ctx, session, references);
  const mspId = await mspIdOf(ctx, session);
  const now = Date.now();
  const cache = readAutoLicenseCache(ctx, session);
  const fresh = (id: string) => {
    const hit = cache[id];
    return !options.refresh && hit && now - hit.fetchedAt <= AUTOLICENSE_TTL_MS ? hit : undefined;
  };
  const ids = [...(mspId ? [mspId] : []), ...scope.inScope.map((c) => c.id)];
  const toFetch = ids.filter((id) => !fresh(id));

  // The cost, said first; past what is left of today's budget it needs --yes.
  // Without --services, the services are those the answers name: the cached ones say how many.
  const knownServices =
    explicit?.length ?? new Set(Object.values(cache).flatMap((entry) => entry.services ?? [])).size;
  const calls = toFetch.length + 2 * Math.max(1, knownServices);
  io.info(
    `autolicense status: ${plural(toFetch.length, 'customer call')}` +
      ` (${count(ids.length - toFetch.length)} cached) + 2 per service.`,
  );
  // What is left of the day is known from any answer's X-RateLimit-Remaining-day: the first
  // customer's answer, when nothing was asked yet in this run.
  let next = 0;
  const fetchOne = async (id: string) => {
    cache[id] = { services: (await fetchAutoLicense(session.client, id)) ?? null, fetchedAt: Date.now() };
  };
  if (session.client.metrics.dayRemaining === undefined && toFetch.length > 1) {
    await fetchOne(toFetch[next++] as string);
  }
  const left = session.client.metrics.dayRemaining;
  // A reserve is kept: a status report should not be what empties the day's budget.
  if (left !== undefined && calls - next > left - DAY_RESERVE && !options.yes) {
    writeAutoLicenseCache(ctx, session, cache);
    throw new RateLimitError(
      `autolicense status needs about ${count(calls)} API calls but only ${count(left)} are left today.`,
      {
        retryable: false,
        hint: 'Narrow the scope, wait for the reset at midnight GMT, or add --yes to spend them anyway.',
      },
    );
  }

  const spinner =
    toFetch.length > 0
      ? await startProgress(io, `asking Central: 0 / ${toFetch.length} customers`)
      : undefined;
  if (spinner) ctx.onCleanup(() => spinner.stop());
  let done = next;
  const work = async (id: string) => {
    ctx.abort.signal.throwIfAborted();
    await fetchOne(id);
    done++;
    if (done % 25 === 0) writeAutoLicenseCache(ctx, session, cache);
    // About ten progress lines in a log, however many customers; every answer on a terminal.
    if (io.spinner || done % Math.max(1, Math.ceil(toFetch.length / 10)) === 0 || done === toFetch.length) {
      spinner?.update(`asking Central: ${done} / ${toFetch.length} customers`);
    }
  };
  try {
    await pool(from(toFetch.slice(next)), 3, work);
  } finally {
    if (toFetch.length) writeAutoLicenseCache(ctx, session, cache);
    spinner?.stop();
  }

  const setting = (id: string) => cache[id]?.services ?? null;
  const customers = scope.inScope.map((c) => ({
    ...c,
    services: setting(c.id),
    ageMs: now - (cache[c.id]?.fetchedAt ?? now),
  }));
  // Without --services: every service on anywhere in scope or in the MSP default.
  const names =
    explicit ??
    [
      ...new Set([...(mspId ? (setting(mspId) ?? []) : []), ...customers.flatMap((c) => c.services ?? [])]),
    ].sort();
  const { statsFilter } = loadFacts(ctx, session);
  const services: ServiceState[] = [];
  const pauses = await fetchPauses(ctx, session, names);
  for (const service of names) {
    const stats = await fetchStats(session.client, service, { filter: statsFilter });
    const paused = pauses[service]?.paused ?? null;
    const off = customers.filter((c) => c.services !== null && !c.services.includes(service));
    const mspSetting = mspId ? setting(mspId) : null;
    services.push({
      service,
      mspDefault: mspSetting === null ? null : mspSetting.includes(service),
      on: customers.filter((c) => c.services?.includes(service)).length,
      off: off.length,
      unknown: customers.filter((c) => c.services === null).length,
      customersOff: off.map(({ id, name }) => ({ id, name })),
      paused,
      devices: stats.licensesUsed + stats.unlicensedDevices,
      ...(stats.licensesTotal === undefined ? {} : { licenses: stats.licensesTotal }),
    });
  }
  const ages = ids.map((id) => now - (cache[id]?.fetchedAt ?? now));
  return {
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    scope: { mode: scope.mode, customersInScope: scope.inScope.length, listed: scope.listed },
    ...(mspId ? { mspId } : {}),
    services,
    customers,
    cached: ids.length - toFetch.length,
    oldestMs: Math.max(0, ...ages),
    apiCalls: session.client.metrics.calls,
  };
}

const age = (ms: number) =>
  ms < 60_000
    ? 'just now'
    : ms < 3_600_000
      ? `${Math.round(ms / 60_000)} min ago`
      : `${(ms / 3_600_000).toFixed(1)} h ago`;

export function render(result: AutoLicenseStatusResult, ctx: Context): void {
  const { io } = ctx;
  const inScope = result.scope.customersInScope;
  io.out(
    `Auto-licensing of ${plural(inScope, 'customer')} — ${result.profile ? `profile ${result.profile}, ` : ''}${result.gateway}`,
  );
  if (result.services.length === 0) {
    io.out('No service has auto-licensing on, for the MSP or any customer in scope.');
  }
  // Per service: its line, then the customers it is off for (a line with no service name).
  const rows: string[][] = [];
  for (const s of result.services) {
    const dflt =
      s.mspDefault === null
        ? 'MSP default unknown'
        : `MSP default ${s.mspDefault ? 'on (new tenants inherit it)' : 'off'}`;
    const paused =
      s.paused === null
        ? 'pause state unknown'
        : s.paused
          ? io.styleOut('red', 'PAUSED: fewer licenses than devices')
          : 'running';
    const pool =
      s.devices !== undefined && s.licenses !== undefined
        ? ` (${count(s.devices)} devices, ${count(s.licenses)} licenses)`
        : '';
    rows.push([
      s.service,
      `on for ${count(s.on)} / ${count(inScope)}${s.unknown ? ` (${count(s.unknown)} unreadable)` : ''}; ${dflt}; ${paused}${pool}`,
    ]);
    if (s.customersOff.length) {
      const shown = s.customersOff.slice(0, 5).map((c) => `${c.name} (${c.id})`);
      rows.push([
        '',
        `off: ${shown.join(', ')}${s.customersOff.length > 5 ? ` and ${count(s.customersOff.length - 5)} more` : ''}`,
      ]);
    }
  }
  for (const line of table(rows, [{ min: 7 }, {}])) io.out(line);
  io.info(
    io.style(
      'dim',
      `${count(result.apiCalls)} API calls; ${count(result.cached)} answers from the cache${result.cached ? ` (oldest ${age(result.oldestMs)}; --refresh asks again)` : ''}.`,
    ),
  );
}

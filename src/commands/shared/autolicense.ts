// Auto-licensing answers kept per profile: each customer's auto-enabled services (Central answers
// one customer per call) and each service's pause state. `autolicense status` fills them, `status`
// reads them, a run of `autolicense enable|disable` forgets them. The one home of their names.
import { fetchAutoLicense, fetchLicenseStatus } from '../../central/api.js';
import { writeCache } from '../../config/cache.js';
import type { Context, Session } from '../../context.js';
import { cacheKey, mspIdOf, readGatewayCache } from './data.js';

export const AUTOLICENSE_TTL_MS = 6 * 3_600_000;

/** The cache files' names (beside the services and customers caches, per profile). */
export const AUTOLICENSE_CACHES = { settings: 'autolicense', paused: 'autolicense-paused' } as const;

/** One customer's answer: its auto-enabled services (null: the answer could not be read). */
export interface CachedSetting {
  services: string[] | null;
  fetchedAt: number;
}
export type AutoLicenseCache = Record<string, CachedSetting>;

/**
 * A customer's cached answer while it is fresh (at most AUTOLICENSE_TTL_MS old at `now`); undefined
 * when there is none, it is older, or `refresh` asks Central again.
 */
export function freshSetting(
  cache: AutoLicenseCache,
  id: string,
  now: number,
  refresh = false,
): CachedSetting | undefined {
  const hit = cache[id];
  return !refresh && hit && now - hit.fetchedAt <= AUTOLICENSE_TTL_MS ? hit : undefined;
}

/** Per service: Central's pause state as last seen (null: unreadable). */
export type PauseCache = Record<string, { paused: boolean | null; fetchedAt: number }>;

export function readAutoLicenseCache(ctx: Context, session: Session): AutoLicenseCache {
  return readGatewayCache<AutoLicenseCache>(ctx, session, AUTOLICENSE_CACHES.settings) as AutoLicenseCache;
}

export function writeAutoLicenseCache(ctx: Context, session: Session, data: AutoLicenseCache): void {
  writeCache(ctx.dir, cacheKey(session), AUTOLICENSE_CACHES.settings, session.baseUrl, data);
}

export function readPauseCache(ctx: Context, session: Session): PauseCache {
  return readGatewayCache<PauseCache>(ctx, session, AUTOLICENSE_CACHES.paused) as PauseCache;
}

/** The cached settings and pause states no longer hold (a run changed them): ask again next time. */
export function forgetAutoLicenseAnswers(ctx: Context, session: Session): void {
  for (const name of Object.values(AUTOLICENSE_CACHES)) {
    writeCache(ctx.dir, cacheKey(session), name, session.baseUrl, {});
  }
}

/** The pause state of each service, asked now (one call each), and cached for `status`. */
export async function fetchPauses(ctx: Context, session: Session, services: string[]): Promise<PauseCache> {
  const cache = readPauseCache(ctx, session);
  for (const service of services) {
    const sufficient = await fetchLicenseStatus(session.client, service);
    cache[service] = { paused: sufficient === undefined ? null : !sufficient, fetchedAt: Date.now() };
  }
  writeCache(ctx.dir, cacheKey(session), AUTOLICENSE_CACHES.paused, session.baseUrl, cache);
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

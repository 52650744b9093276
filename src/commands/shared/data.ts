// Services and customers: from the cache when fresh, else from the API (and cached). Completion
// reads the same cache files; it never calls the network.
import { type Customer, fetchCustomers, fetchServices, type ServiceInfo } from '../../central/api.js';
import { readCache, writeCache } from '../../config/cache.js';
import type { Context, Session } from '../../context.js';
import { isCentralService } from '../../core/services.js';

export const SERVICES_TTL_MS = 24 * 3_600_000;
export const CUSTOMERS_TTL_MS = 6 * 3_600_000;

export interface CachedService extends ServiceInfo {
  central: boolean;
}

export interface Loaded<T> {
  data: T;
  fromCache: boolean;
  fetchedAt: number;
}

/** Caches are kept per profile (or per gateway when credentials come from the environment). */
export function cacheKey(session: Session): string {
  return session.profileName ?? `env-${session.baseUrl.replace(/[^A-Za-z0-9.-]+/g, '_')}`;
}

function fresh<T>(ctx: Context, session: Session, name: string, ttlMs: number) {
  const entry = readCache<T>(ctx.dir, cacheKey(session), name);
  if (!entry || entry.baseUrl !== session.baseUrl) return undefined;
  if (Date.now() - entry.fetchedAt > ttlMs) return undefined;
  return entry;
}

export async function loadServices(
  ctx: Context,
  session: Session,
  refresh = false,
): Promise<Loaded<CachedService[]>> {
  const cached = refresh ? undefined : fresh<CachedService[]>(ctx, session, 'services', SERVICES_TTL_MS);
  if (cached) return { data: cached.data, fromCache: true, fetchedAt: cached.fetchedAt };
  const key = cacheKey(session);
  const remembered = readCache<{ path: 'v1' | 'v2' }>(ctx.dir, key, 'services-path');
  const preferPath = remembered?.baseUrl === session.baseUrl ? remembered.data.path : undefined;
  const { services, path } = await fetchServices(session.client, { preferPath });
  const data = services
    .map((s) => ({ ...s, central: isCentralService(s.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  writeCache(ctx.dir, key, 'services', session.baseUrl, data);
  writeCache(ctx.dir, key, 'services-path', session.baseUrl, { path });
  return { data, fromCache: false, fetchedAt: Date.now() };
}

export async function loadCustomers(
  ctx: Context,
  session: Session,
  refresh = false,
): Promise<Loaded<Customer[]>> {
  const cached = refresh ? undefined : fresh<Customer[]>(ctx, session, 'customers', CUSTOMERS_TTL_MS);
  if (cached) return { data: cached.data, fromCache: true, fetchedAt: cached.fetchedAt };
  const data = await fetchCustomers(session.client, {});
  writeCache(ctx.dir, cacheKey(session), 'customers', session.baseUrl, data);
  return { data, fromCache: false, fetchedAt: Date.now() };
}

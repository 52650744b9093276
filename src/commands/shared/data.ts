// Services and customers: from the cache when fresh, else from the API (and cached). Completion
// reads the same cache files; it never calls the network.
import { createHash } from 'node:crypto';
import {
  type Customer,
  fetchCustomers,
  fetchMspId,
  fetchServices,
  type ServiceInfo,
} from '../../central/api.js';
import { readCache, writeCache } from '../../config/cache.js';
import type { Context, Session } from '../../context.js';
import { type CustomerRef, fold, readList } from '../../core/customers.js';
import { buildScope, type Scope, type ScopeFlags, type ScopeMode, scopeMode } from '../../core/scope.js';
import { isSelector, resolveReferences, type SelectorMatch } from '../../core/selectors.js';
import { isCentralService, matchServices } from '../../core/services.js';
import { CliError, UsageError } from '../../errors.js';
import type { IO } from '../../ui/io.js';
import { MAX_LIST_BYTES, readInputFile } from './input-file.js';

export const SERVICES_TTL_MS = 24 * 3_600_000;
export const CUSTOMERS_TTL_MS = 6 * 3_600_000;
/** Customers fetched per page concurrently: the rate governor keeps the pace at 7 calls/s. */
export const CUSTOMER_PAGE_CONCURRENCY = 7;

export interface CachedService extends ServiceInfo {
  central: boolean;
}

export interface Loaded<T> {
  data: T;
  fromCache: boolean;
  fetchedAt: number;
}

/**
 * Caches are kept per profile, or per gateway when credentials come from the environment: then
 * the key is a hash of the URL (any length of URL makes a short, safe file name).
 */
export function cacheKey(session: Session): string {
  return (
    session.profileName ?? `env-${createHash('sha256').update(session.baseUrl).digest('hex').slice(0, 32)}`
  );
}

/**
 * A cache that holds one record for this profile's gateway (what was learned, per-customer
 * answers…): the record, or {} when missing, unreadable or from another gateway.
 */
export function readGatewayCache<T extends object>(ctx: Context, session: Session, name: string): Partial<T> {
  const entry = readCache<T>(ctx.dir, cacheKey(session), name);
  return entry && entry.baseUrl === session.baseUrl && entry.data && typeof entry.data === 'object'
    ? entry.data
    : {};
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

/**
 * Service names as typed, matched against the services list and spelled as the API does. A name
 * the cached list does not know triggers one refresh of the list (a service newer than the cache)
 * before it is refused (exit 2, with the nearest valid names).
 */
export async function resolveServices(
  ctx: Context,
  session: Session,
  requested: string[],
): Promise<string[]> {
  const services = await loadServices(ctx, session);
  try {
    return matchServices(
      requested,
      services.data.map((s) => s.name),
    );
  } catch (error) {
    if (!services.fromCache) throw error;
    const fresh = await loadServices(ctx, session, true);
    return matchServices(
      requested,
      fresh.data.map((s) => s.name),
    );
  }
}

export async function loadCustomers(
  ctx: Context,
  session: Session,
  refresh = false,
): Promise<Loaded<Customer[]>> {
  const cached = refresh ? undefined : fresh<Customer[]>(ctx, session, 'customers', CUSTOMERS_TTL_MS);
  if (cached) return { data: cached.data, fromCache: true, fetchedAt: cached.fetchedAt };
  const data = await fetchCustomers(session.client, { concurrency: CUSTOMER_PAGE_CONCURRENCY });
  writeCache(ctx.dir, cacheKey(session), 'customers', session.baseUrl, data);
  return { data, fromCache: false, fetchedAt: Date.now() };
}

/**
 * The MSP's own customer id: from the customers list (`msp_id`); when no customer carries it, one
 * small call, unless `call` is false (a report that spends no call for it: then undefined).
 */
export async function mspIdOf(
  ctx: Context,
  session: Session,
  { call = true }: { call?: boolean } = {},
): Promise<string | undefined> {
  const known = (await loadCustomers(ctx, session)).data.find((c) => c.mspId)?.mspId;
  if (known || !call) return known;
  return fetchMspId(session.client);
}

// ---------------------------------------------------------------- scope flags → customers

const LIST_HINT =
  "Give a regular file (at most 8 MiB) with one customer id or name per line, or '-' for stdin.";

/**
 * A customer list file: one id or name per line, `#` comments; '-' reads stdin (once per run).
 * Unreadable files are usage errors (exit 2) naming the file.
 */
export function readCustomerList(
  file: string,
  stdin: { used: boolean; read: () => string },
): ReturnType<typeof readList> {
  try {
    if (file === '-') {
      if (stdin.used) throw new UsageError('Only one customer list can come from stdin.');
      stdin.used = true;
      return readList(stdin.read());
    }
    return readList(
      readInputFile(file, { what: 'customer list', maxBytes: MAX_LIST_BYTES, hint: LIST_HINT }),
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`Cannot read customer list '${file}' (${reason}).`, { hint: LIST_HINT });
  }
}

export interface ScopeReferences {
  mode: ScopeMode;
  /** The customers named by the flags and files (ids or names, as typed). */
  references: string[];
  /** List-file lines a `#` comment was cut from, as written (readList). */
  commented?: string[];
}

/**
 * The scope flags and list files, read and checked without any API call (exit 2 on a bad one).
 * `-` reads stdin through `io`; a caller that does not pass its IO yet (the job) gets a reader of
 * fd 0 made for this call, with the same cap and signal handling.
 */
export function scopeReferences(flags: ScopeFlags, io: Pick<IO, 'readStdin'>): ScopeReferences {
  const mode = scopeMode(flags);
  const stdin = { used: false, read: () => io.readStdin() };
  const file = mode === 'include' ? flags.includeFile : mode === 'exclude' ? flags.excludeFile : undefined;
  const list = file ? readCustomerList(file, stdin) : { references: [], commented: [] };
  const references =
    mode === 'include'
      ? [...(flags.include ?? []), ...list.references]
      : mode === 'exclude'
        ? [...(flags.exclude ?? []), ...list.references]
        : [];
  // A flag value of only commas names nobody.
  const named = references.some((r) => r.split(',').some((part) => part.trim()));
  if (mode === 'include' && !named) {
    throw new UsageError('The include list is empty.', {
      hint: 'Name at least one customer, or use --all-customers.',
    });
  }
  if (mode === 'exclude' && !named) {
    // An empty exclude list is the API's "every customer": that scope needs its own flag.
    throw new UsageError('The exclude list is empty: that would license every customer.', {
      code: 'missing_scope',
      hint: 'Check the exclude file; if every customer is meant, use --all-customers.',
    });
  }
  return { mode, references, commented: list.commented };
}

export interface ResolvedScope {
  scope: Scope;
  /** Every customer of the MSP, as ids and names. */
  all: CustomerRef[];
  /** The customers list came from the cache (it may miss customers created since). */
  fromCache: boolean;
  /** What each `group:` / `name:` selector matched. */
  selectors: SelectorMatch[];
}

/**
 * The scope references resolved against the customers list: ids or exact names, case-insensitive,
 * duplicates removed; `group:` / `name:` selectors always against a list fetched now. A reference
 * the cached list does not know triggers one refresh of the list (a customer newer than the
 * cache) before it is refused; unknown and ambiguous references fail
 * with exit 2, naming them and the nearest matches, before anything is sent.
 */
export async function resolveScope(
  ctx: Context,
  session: Session,
  { mode, references, commented = [] }: ScopeReferences,
  fresh = false,
): Promise<ResolvedScope> {
  // A selector is matched against the list as it is now: a cached list (up to 6 h old) could put a
  // customer moved to another group, or one created since, on the wrong side (plan does the same).
  const selecting = references.some((r) => r.split(',').some((part) => isSelector(part.trim())));
  let customers = await loadCustomers(ctx, session, fresh || selecting);
  let listed: CustomerRef[] = [];
  let selectors: SelectorMatch[] = [];
  // Ids, exact names, and the selectors group:NAME / name:GLOB (src/core/selectors.ts).
  const resolve = (data: typeof customers.data) =>
    resolveReferences(
      references,
      data.map((c) => ({ id: c.id, name: c.name, ...(c.groupName ? { group: c.groupName } : {}) })),
    );
  if (mode !== 'all') {
    refuseCommentedNames(commented, customers.data);
    try {
      ({ customers: listed, selectors } = resolve(customers.data));
    } catch (error) {
      if (!customers.fromCache) throw error;
      // A customer (or a group's member) newer than the cache?
      customers = await loadCustomers(ctx, session, true);
      refuseCommentedNames(commented, customers.data);
      ({ customers: listed, selectors } = resolve(customers.data));
    }
  }
  const all = customers.data.map((c) => ({ id: c.id, name: c.name }));
  const refs = listed.map((c) => ({ id: c.id, name: c.name }));
  return { scope: buildScope(mode, refs, all), all, fromCache: customers.fromCache, selectors };
}

/**
 * A list-file line that is some customer's whole name, `#` and all (`Acme #2`), was read as the
 * text before its comment (`Acme`: perhaps another customer): refused (exit 2), naming the ids.
 */
function refuseCommentedNames(commented: string[], customers: Array<{ id: string; name: string }>): void {
  if (!commented.length) return;
  const lines = new Set(commented.map(fold));
  const named = customers.filter((c) => lines.has(fold(c.name)));
  if (!named.length) return;
  throw new UsageError(
    `A customer list line is a customer's whole name, but ' #' starts a comment there: ${named
      .slice(0, 5)
      .map((c) => `'${c.name}' (${c.id})`)
      .join(', ')}${named.length > 5 ? ` and ${named.length - 5} more` : ''}.`,
    { hint: 'In a list file, name such a customer by its id.' },
  );
}

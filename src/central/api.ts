// One function per Central endpoint msp-license uses. Shapes are parsed in schemas.ts; paging is
// defensive (servers may cap `limit` silently, repeat items, or read `offset` as a page number).

import { ApiError, AuthError, CliError } from '../errors.js';
import { parseErrorBody } from './errors.js';
import { CentralClient, type ClientOptions, type ClientResponse } from './http.js';
import {
  type Customer,
  type Device,
  type LicenseJobAnswer,
  type Page,
  parseAuthCode,
  parseAutoLicenseServices,
  parseCustomersPage,
  parseDevicesPage,
  parseLicenseJobAnswer,
  parseLicenseStatus,
  parseServices,
  parseStats,
  parseTokenAnswer,
  type ServiceInfo,
  type ServiceStats,
  type TokenAnswer,
} from './schemas.js';

export type { Customer, Device, LicenseJobAnswer, ServiceInfo, ServiceStats, TokenAnswer };

export const PATHS = {
  token: '/oauth2/token',
  login: '/oauth2/authorize/central/api/login',
  authorize: '/oauth2/authorize/central/api',
  servicesV2: '/platform/licensing/v2/services/config',
  servicesV1: '/platform/licensing/v1/services/config',
  customers: '/msp_api/v1/customers',
  customerDevices: (customerId: string) => `/msp_api/v1/customers/${encodeURIComponent(customerId)}/devices`,
  devices: '/msp_api/v1/devices',
  stats: '/platform/licensing/v1/subscriptions/stats',
  licenseJob: '/platform/licensing/v1/msp/subscriptions/devices/all',
  autolicense: '/platform/licensing/v1/msp/customer/settings/autolicense',
  licenseStatus: (service: string) =>
    `/platform/licensing/v1/autolicensing/services/${encodeURIComponent(service)}/status`,
} as const;

/** Options for the calls that build their own client (no bearer token yet). */
export type OAuthOptions = Omit<Partial<ClientOptions>, 'baseUrl' | 'auth'>;

// ---------------------------------------------------------------- OAuth

/** The text and the one-line message of an error answer the caller accepted (acceptStatus). */
function answerMessage(res: ClientResponse<unknown>, secrets: string[]): { text: string; message: string } {
  const text = typeof res.body === 'string' ? res.body : res.body == null ? '' : JSON.stringify(res.body);
  const parsed = parseErrorBody(res.status, 'application/json', text, secrets);
  return { text, message: `${parsed.message} (HTTP ${res.status})` };
}

const NEW_TOKEN_HINT =
  'The refresh token was revoked (unused 15 days) or already used by another process; download a new token ' +
  'in Central (API Gateway → System Apps & Tokens) and run `msp-license login --token-file FILE`.';

function oauthClient(baseUrl: string, secrets: string[], options: OAuthOptions): CentralClient {
  return new CentralClient({ ...options, baseUrl, secrets: [...(options.secrets ?? []), ...secrets] });
}

/**
 * POST /oauth2/token with grant_type=refresh_token, the parameters in the query string (as Aruba's
 * SDK does). Refresh tokens rotate, so this runs only under the refresh lock (auth.ts). A retry
 * after a 5xx or a reset is safe here: if the first attempt did rotate the pair, the old token is
 * dead whether we retry or not, and the retry then fails with invalid_grant (AuthError).
 */
export async function refreshTokens(
  baseUrl: string,
  credentials: { clientId: string; clientSecret: string; refreshToken: string },
  options: OAuthOptions = {},
): Promise<TokenAnswer> {
  const client = oauthClient(baseUrl, [credentials.clientSecret, credentials.refreshToken], {
    maxRetries: 3,
    maxRetryMs: 20_000,
    ...options,
  });
  let res: ClientResponse<unknown>;
  try {
    res = await client.request('POST', PATHS.token, {
      noAuth: true,
      idempotent: true,
      query: {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: credentials.refreshToken,
      },
      acceptStatus: [400, 401, 403, 404],
    });
  } catch (err) {
    throw refreshFailure(err);
  }
  if (res.status >= 400) {
    const { text, message: detail } = answerMessage(res, client.secrets());
    if (res.status === 400 && /invalid_grant|invalid_request|refresh.?token/i.test(text)) {
      throw new AuthError(`Token refresh failed: ${detail}`, { httpStatus: 400, hint: NEW_TOKEN_HINT });
    }
    if (res.status === 401 || /invalid_client/i.test(text)) {
      throw new AuthError(`Token refresh failed: the client id or client secret was rejected (${detail})`, {
        httpStatus: res.status,
        hint: 'Check the client id and secret of the API client in Central (API Gateway → My Apps & Tokens), then `msp-license login`.',
      });
    }
    throw new AuthError(`Token refresh failed: ${detail}`, { httpStatus: res.status, hint: NEW_TOKEN_HINT });
  }
  return parseTokenAnswer(res.body, `POST ${PATHS.token}`);
}

/** Network errors stay NetworkError (exit 6), a 429 stays RateLimitError; any other answer is exit 4. */
function refreshFailure(err: unknown): unknown {
  if (!(err instanceof CliError)) return err;
  if (
    err.code === 'network' ||
    err.code === 'rate_limited' ||
    err.code === 'auth' ||
    err.code === 'interrupted'
  ) {
    return err;
  }
  return new AuthError(`Token refresh failed: ${err.message}`, {
    httpStatus: err.httpStatus,
    hint: err.hint ?? NEW_TOKEN_HINT,
    cause: err,
  });
}

function cookieValue(setCookie: string | undefined, name: string): string | undefined {
  if (!setCookie) return undefined;
  for (const line of setCookie.split(/\n|,(?=\s*[A-Za-z0-9_-]+=)/)) {
    const m = new RegExp(`^\\s*${name}=([^;]*)`).exec(line);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * Username/password login (non-SSO accounts): the three calls of docs/central-contract.md (§2,
 * then the code exchange of §1, as pycentral's base.py makes them). The login endpoints are
 * throttled hard (as low as 3 per 30 minutes), so nothing here is ever retried.
 */
export async function passwordLogin(
  baseUrl: string,
  input: { clientId: string; clientSecret: string; username: string; password: string; customerId: string },
  options: OAuthOptions = {},
): Promise<TokenAnswer> {
  const secrets = [input.clientSecret, input.password];
  const client = oauthClient(baseUrl, secrets, { ...options, maxRetries: 0, secrets });
  const fail = (step: string, res: ClientResponse<unknown>, hint: string): never => {
    const { message: detail } = answerMessage(res, secrets);
    throw new AuthError(`Login failed at ${step}: ${detail}`, { httpStatus: res.status, hint });
  };
  const accept = [400, 401, 403, 404];

  const login = await client.request('POST', PATHS.login, {
    noAuth: true,
    idempotent: false,
    maxRetries: 0,
    query: { client_id: input.clientId },
    body: { username: input.username, password: input.password },
    acceptStatus: accept,
  });
  if (login.status >= 300) {
    fail(
      'the user login',
      login,
      'Check the user name and password; username/password login works only for non-SSO accounts ' +
        '(otherwise use "Download Token" and `msp-license login --token-file FILE`).',
    );
  }
  const csrf = cookieValue(login.headers['set-cookie'], 'csrftoken');
  const session = cookieValue(login.headers['set-cookie'], 'session');
  if (!csrf || !session) {
    throw new AuthError('Login failed: Central did not return the csrftoken and session cookies.', {
      hint: 'Use "Download Token" in Central and `msp-license login --token-file FILE` instead.',
    });
  }
  secrets.push(csrf, session);

  const authorize = await client.request('POST', PATHS.authorize, {
    noAuth: true,
    idempotent: false,
    maxRetries: 0,
    query: { client_id: input.clientId, response_type: 'code', scope: 'all' },
    body: { customer_id: input.customerId },
    headers: { 'X-CSRF-TOKEN': csrf, Cookie: `session=${session}` },
    acceptStatus: accept,
  });
  if (authorize.status >= 300) {
    fail(
      'the authorisation',
      authorize,
      'Check the customer id (the MSP account id shown in Central) and that the API client belongs to it.',
    );
  }
  const code = parseAuthCode(authorize.body, `POST ${PATHS.authorize}`);
  secrets.push(code);

  const token = await client.request('POST', PATHS.token, {
    noAuth: true,
    idempotent: false,
    maxRetries: 0,
    query: {
      client_id: input.clientId,
      client_secret: input.clientSecret,
      grant_type: 'authorization_code',
      code,
    },
    acceptStatus: accept,
  });
  if (token.status >= 300) {
    fail(
      'the token exchange',
      token,
      'Check the client id and client secret of the API client (API Gateway → My Apps & Tokens).',
    );
  }
  return parseTokenAnswer(token.body, `POST ${PATHS.token}`);
}

// ---------------------------------------------------------------- paging

export interface PageProgress {
  /** Unique items so far. */
  fetched: number;
  total?: number;
  pages: number;
}

interface PagingOptions<T> {
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>;
  key: (item: T) => string;
  pageSize: number;
  concurrency: number;
  onPage?: (progress: PageProgress) => void;
}

/**
 * Most pages fetched for one list, whatever the server's `total` says (a lying total must neither
 * allocate nor fetch without end): 10,000 pages is a million customers at 100 a page.
 */
export const MAX_PAGES = 10_000;
/** Most pages fetched when the server gives no total (guards against a server that never ends). */
const MAX_PAGES_WITHOUT_TOTAL = MAX_PAGES;

/**
 * Runs `fn` over the offsets `next()` hands out, `concurrency` at a time, until it returns
 * undefined or `stop()` says so: offsets are made one at a time, never all up front.
 */
async function poolLazy<O>(
  next: () => number | undefined,
  concurrency: number,
  fn: (offset: number) => Promise<O>,
  onResult: (result: O) => void,
  stop: () => boolean,
): Promise<void> {
  const worker = async () => {
    for (;;) {
      if (stop()) return;
      const offset = next();
      if (offset === undefined) return;
      onResult(await fn(offset));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/**
 * Fetch every item of an offset-paged list. `offset` is read as an item index; the first page
 * tells the total and the page size the server really honoured (the step); the next offsets are
 * handed out lazily to `concurrency` workers (the governor keeps the rate). Items are
 * de-duplicated by key; paging stops at the total, at an empty page or a page with nothing new,
 * and never runs more than min(total/step + 10, MAX_PAGES) requests.
 */
export async function fetchAllPages<T>(options: PagingOptions<T>): Promise<T[]> {
  const seen = new Map<string, T>();
  let skipped = 0;
  let pages = 0;
  const add = (page: Page<T>): number => {
    pages += 1;
    skipped += page.skipped;
    let added = 0;
    for (const item of page.items) {
      const k = options.key(item);
      if (!seen.has(k)) {
        seen.set(k, item);
        added += 1;
      }
    }
    options.onPage?.({ fetched: seen.size, total, pages });
    return added;
  };

  const first = await options.fetchPage(0, options.pageSize);
  let total = first.total;
  add(first);
  const step = first.items.length + first.skipped;
  if (step === 0) return [...seen.values()];
  const done = () => total !== undefined && seen.size + skipped >= total;
  const maxPages = Math.min(
    MAX_PAGES,
    total !== undefined ? Math.ceil(total / step) + 10 : MAX_PAGES_WITHOUT_TOTAL,
  );
  let offset = step;

  if (total !== undefined && !done()) {
    let next = step;
    let handedOut = 0;
    let added = 0;
    let ended = false;
    await poolLazy(
      () => {
        if (total === undefined || next >= total || handedOut + 1 >= maxPages) return undefined;
        handedOut += 1;
        const o = next;
        next += step;
        return o;
      },
      options.concurrency,
      (o) => options.fetchPage(o, step),
      (page) => {
        if (page.total !== undefined) total = page.total;
        if (page.items.length + page.skipped === 0) ended = true;
        const fresh = add(page);
        added += fresh;
        // A server repeating what it sent (or lying about its total) ends the walk here too.
        if (fresh === 0 && pages > options.concurrency + 1 && added === 0) ended = true;
      },
      () => ended || done(),
    );
    if (done() || (ended && added > 0)) return [...seen.values()];
    // Nothing new past the first page: this server reads offset as a page number.
    if (added === 0 && handedOut > 0) return sequential(1, 1);
    offset = next;
  }
  return sequential(offset, step);

  async function sequential(start: number, increment: number): Promise<T[]> {
    let o = start;
    let idle = 0;
    while (!done() && pages < maxPages) {
      const page = await options.fetchPage(o, step);
      if (page.total !== undefined) total = page.total;
      if (page.items.length + page.skipped === 0) break;
      const added = add(page);
      idle = added === 0 ? idle + 1 : 0;
      if (idle >= 2) break;
      if (total === undefined && page.items.length + page.skipped < step) break;
      o += increment;
    }
    return [...seen.values()];
  }
}

// ---------------------------------------------------------------- services

/**
 * The supported services. The documented path is v2; every SDK uses v1. Try `preferPath` (the
 * one that answered last time, remembered by the caller) or v2 first; on any error status try the other.
 */
/** Every error status but 429 (which the client retries on any path). */
const ANY_ERROR = Array.from({ length: 200 }, (_, i) => 400 + i).filter((s) => s !== 429);

export async function fetchServices(
  client: CentralClient,
  options: { preferPath?: 'v1' | 'v2'; serviceCategory?: string; deviceType?: string } = {},
): Promise<{ services: ServiceInfo[]; path: 'v1' | 'v2' }> {
  const order: Array<'v1' | 'v2'> = options.preferPath === 'v1' ? ['v1', 'v2'] : ['v2', 'v1'];
  const query = { service_category: options.serviceCategory, device_type: options.deviceType };
  for (const [index, version] of order.entries()) {
    const path = version === 'v2' ? PATHS.servicesV2 : PATHS.servicesV1;
    const last = index === order.length - 1;
    // Any refusal of the first path (404, 405, 401, 403, 500...) means "try the other": the v2
    // path's behaviour on a real gateway is unknown, so it never spends a token refresh.
    // v1 (every client's path) is refused only by a 404 before v2 is tried; a 401 there is a token
    // to refresh like anywhere else.
    const acceptStatus = last ? undefined : version === 'v2' ? ANY_ERROR : [404];
    const res = await client.request('GET', path, { query, acceptStatus });
    if (res.status >= 300) continue;
    return { services: parseServices(res.body, `GET ${path}`), path: version };
  }
  throw new ApiError('unexpected response from the services config endpoint: neither v1 nor v2 answered');
}

// ---------------------------------------------------------------- customers

/** The MSP's own customer id, from one customer record's `msp_id` (pycentral `get_msp_id`). */
export async function fetchMspId(client: CentralClient): Promise<string | undefined> {
  const res = await client.request('GET', PATHS.customers, { query: { offset: 0, limit: 1 } });
  return parseCustomersPage(res.body).items.find((c) => c.mspId)?.mspId;
}

export async function fetchCustomers(
  client: CentralClient,
  options: {
    search?: string;
    pageSize?: number;
    concurrency?: number;
    onPage?: (p: PageProgress) => void;
  } = {},
): Promise<Customer[]> {
  return fetchAllPages<Customer>({
    pageSize: options.pageSize ?? 100,
    concurrency: options.concurrency ?? 4,
    onPage: options.onPage,
    key: (c) => c.id,
    fetchPage: async (offset, limit) => {
      const res = await client.request('GET', PATHS.customers, {
        query: { offset, limit, customer_name: options.search || undefined },
      });
      return parseCustomersPage(res.body, `GET ${PATHS.customers}`);
    },
  });
}

// ---------------------------------------------------------------- devices

/** A customer's device count: one call (`limit=1`, the answer's total), never a walk over its devices. */
export async function countCustomerDevices(
  client: CentralClient,
  customerId: string,
): Promise<number | undefined> {
  const res = await client.request('GET', PATHS.customerDevices(customerId), {
    query: { offset: 0, limit: 1 },
  });
  return parseDevicesPage(res.body, `GET ${PATHS.customerDevices('{customer_id}')}`).total;
}

// ---------------------------------------------------------------- licensing

/**
 * Which query parameter filters `subscriptions/stats` by service is not settled by the public
 * clients (pycentral sends `service`, the community CLI documents `license_type`); `both` sends
 * the two, which filters under either reading. `msp-license doctor` finds the one that works.
 */
export type StatsFilter = 'service' | 'license_type' | 'both';

/** Counts for one service, over all tenants, or inside one tenant with `tenantId`. */
export async function fetchStats(
  client: CentralClient,
  service: string,
  options: { tenantId?: string; filter?: StatsFilter } = {},
): Promise<ServiceStats> {
  const filter = options.filter ?? 'both';
  const res = await client.request('GET', PATHS.stats, {
    query: {
      service: filter === 'license_type' ? undefined : service,
      license_type: filter === 'service' ? undefined : service,
    },
    tenantId: options.tenantId,
  });
  return parseStats(res.body, service, `GET ${PATHS.stats}`);
}

export interface LicenseJobRequest {
  services: string[];
  includeCustomers?: string[];
  excludeCustomers?: string[];
}

export interface LicenseJobResult {
  status: number;
  body: LicenseJobAnswer;
  /** A request id header, when the gateway sends one (for the history log). */
  requestId?: string;
}

/** The JSON body of the license job; empty include/exclude keys are left out. */
export function licenseJobBody(job: LicenseJobRequest): Record<string, string[]> {
  const body: Record<string, string[]> = { services: job.services };
  if (job.includeCustomers && job.includeCustomers.length > 0) body.include_customers = job.includeCustomers;
  if (job.excludeCustomers && job.excludeCustomers.length > 0) body.exclude_customers = job.excludeCustomers;
  return body;
}

/**
 * POST (assign) or DELETE (un-assign, a DELETE with a JSON body) the MSP license job. It is sent as
 * idempotent: assigning a service a device already holds (or removing one it does not hold) is a
 * no-op for the API, so repeating the job after a lost answer changes nothing. 413/417 (request
 * too large) surface as ApiError with httpStatus, so the caller can halve the chunk.
 */
export function sendLicenseJob(
  client: CentralClient,
  verb: 'assign' | 'unassign',
  job: LicenseJobRequest,
): Promise<LicenseJobResult> {
  return sendScoped(client, verb === 'assign' ? 'POST' : 'DELETE', PATHS.licenseJob, job);
}

/** A POST or DELETE with the services-and-customers body, sent as idempotent. */
async function sendScoped(
  client: CentralClient,
  method: 'POST' | 'DELETE',
  path: string,
  job: LicenseJobRequest,
): Promise<LicenseJobResult> {
  if (job.services.length === 0) throw new ApiError('at least one service is needed');
  const res = await client.request(method, path, { body: licenseJobBody(job), idempotent: true });
  const requestId =
    res.headers['x-request-id'] ?? res.headers['x-correlation-id'] ?? res.headers['request-id'] ?? undefined;
  const result: LicenseJobResult = { status: res.status, body: parseLicenseJobAnswer(res.body) };
  if (requestId) result.requestId = requestId;
  return result;
}

// ---------------------------------------------------------------- auto-licensing

/**
 * POST enables MSP auto-licensing for the services (and assigns them now to the devices of the
 * tenants in scope); DELETE disables it, leaving current licenses alone. The same body as the
 * license job (API reference "MSP API:- Enable/Disable auto license settings", pycentral
 * `assign_msp_autolicense_services`). Repeating either is harmless, so it is retried like the job.
 */
export function sendAutoLicense(
  client: CentralClient,
  action: 'enable' | 'disable',
  job: LicenseJobRequest,
): Promise<LicenseJobResult> {
  return sendScoped(client, action === 'enable' ? 'POST' : 'DELETE', PATHS.autolicense, job);
}

/**
 * The services auto-enabled for one customer (the MSP's own id: what new tenants inherit); one
 * call per customer. Undefined when the answer's shape cannot be read (no public client parses
 * it: docs/central-contract.md).
 */
export async function fetchAutoLicense(
  client: CentralClient,
  customerId: string,
): Promise<string[] | undefined> {
  const res = await client.request('GET', PATHS.autolicense, { query: { customer_id: customerId } });
  return parseAutoLicenseServices(res.body);
}

/**
 * Whether a service's licenses outnumber the devices (false: auto-licensing is paused). Undefined
 * when the answer's shape cannot be read.
 */
export async function fetchLicenseStatus(
  client: CentralClient,
  service: string,
): Promise<boolean | undefined> {
  const res = await client.request('GET', PATHS.licenseStatus(service));
  return parseLicenseStatus(res.body, service);
}

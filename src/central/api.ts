// One function per Central endpoint msp-license uses (the OAuth calls are in oauth.ts, the pager
// in pager.ts). Shapes are parsed in schemas.ts; every field read has its public source in
// docs/central-contract.md.

import { ApiError } from '../errors.js';
import type { CentralClient } from './http.js';
import { fetchAllPages, type PageProgress } from './pager.js';
import {
  type Customer,
  type Device,
  type LicenseJobAnswer,
  parseAutoLicenseServices,
  parseCustomersPage,
  parseDevicesPage,
  parseLicenseJobAnswer,
  parseLicenseStatus,
  parseServices,
  parseStats,
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

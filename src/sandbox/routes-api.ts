// The authenticated API: customers, devices, services, subscriptions, the license job.

import type { Ctx } from './context.js';
import type { Device } from './estate.js';
import { centralError, header, intParam, json, type Reply } from './http.js';
import { isService, serviceDeviceType } from './services.js';

type Handler = (ctx: Ctx, params: string[]) => Reply;

const routes: Array<[string, RegExp, Handler]> = [
  ['GET', /^\/platform\/licensing\/v1\/services\/config$/, (c) => servicesConfig(c, 'v1')],
  ['GET', /^\/platform\/licensing\/v2\/services\/config$/, (c) => servicesConfig(c, 'v2')],
  ['GET', /^\/msp_api\/v1\/customers$/, customers],
  ['GET', /^\/msp_api\/v1\/customers\/([^/]+)\/devices$/, customerDevices],
  ['GET', /^\/msp_api\/v1\/devices$/, mspDevices],
  ['GET', /^\/platform\/device_inventory\/v1\/devices$/, inventoryDevices],
  ['GET', /^\/platform\/licensing\/v1\/subscriptions\/stats$/, stats],
  ['GET', /^\/platform\/licensing\/v1\/msp\/customer\/settings\/autolicense$/, autolicenseGet],
  [
    'POST',
    /^\/platform\/licensing\/v1\/msp\/customer\/settings\/autolicense$/,
    (c) => autolicenseSettings(c, true),
  ],
  [
    'DELETE',
    /^\/platform\/licensing\/v1\/msp\/customer\/settings\/autolicense$/,
    (c) => autolicenseSettings(c, false),
  ],
  ['GET', /^\/platform\/licensing\/v1\/autolicensing\/services\/([^/]+)\/status$/, autolicenseStatus],
  ['GET', /^\/platform\/licensing\/v1\/subscriptions$/, subscriptions],
  ['POST', /^\/platform\/licensing\/v1\/msp\/subscriptions\/devices\/all$/, (c) => licenseJob(c, 'assign')],
  [
    'DELETE',
    /^\/platform\/licensing\/v1\/msp\/subscriptions\/devices\/all$/,
    (c) => licenseJob(c, 'unassign'),
  ],
];

export function handleApi(ctx: Ctx): Reply {
  let pathMatched = false;
  for (const [method, pattern, handler] of routes) {
    const m = pattern.exec(ctx.path);
    if (!m) continue;
    pathMatched = true;
    if (method === ctx.method)
      return handler(
        ctx,
        m.slice(1).map((s) => decodeURIComponent(s)),
      );
  }
  if (pathMatched) return json(405, { message: 'Method not allowed' });
  return centralError(404, 'Not found', 'gateway');
}

/** offset/limit with Central's silent cap on limit. */
function page(ctx: Ctx, defaultLimit = 10): { offset: number; limit: number } | Reply {
  const offset = intParam(ctx.query, 'offset', 0);
  const limit = intParam(ctx.query, 'limit', defaultLimit);
  if (offset === null) return centralError(400, 'Invalid value for offset', 'msp');
  if (limit === null) return centralError(400, 'Invalid value for limit', 'msp');
  return { offset, limit: Math.min(limit, ctx.world.settings.maxPageSize) };
}

function servicesConfig(ctx: Ctx, version: 'v1' | 'v2'): Reply {
  const { settings, estate } = ctx.world;
  if (version === 'v2') {
    // What the documented v2 path answers on a real gateway is not known: each answer a variant.
    const v2 = settings.variants.servicesV2;
    if (v2 === 404) return centralError(404, 'Not found');
    if (v2 === 401) return json(401, { error: 'invalid_token', error_description: 'Invalid access token' });
    if (v2 === 403) return json(403, { message: 'Forbidden' });
    if (v2 === 405) return json(405, { message: 'Method not allowed' });
    if (v2 === 500) return json(500, { message: 'An unexpected error occurred' });
  }
  const category = ctx.query.get('service_category')?.toLowerCase();
  const deviceType = ctx.query.get('device_type')?.toLowerCase();
  const out: Record<string, unknown> = {};
  for (const [name, cfg] of Object.entries(estate.services)) {
    if (category && cfg.service_category.toLowerCase() !== category) continue;
    if (deviceType && cfg.device_type.toLowerCase() !== deviceType) continue;
    out[name] = cfg;
  }
  return json(200, settings.servicesWrapped ? { data: out } : out);
}

function customers(ctx: Ctx): Reply {
  const p = page(ctx);
  if ('status' in p) return p;
  const name = ctx.query.get('customer_name')?.toLowerCase();
  const all = ctx.world.estate.customers;
  const list = name ? all.filter((c) => c.customer_name.toLowerCase().includes(name)) : all;
  return json(200, { customers: list.slice(p.offset, p.offset + p.limit), total: list.length });
}

const DEVICE_TYPES: Record<string, Device['device_type']> = {
  iap: 'IAP',
  ap: 'IAP',
  switch: 'SWITCH',
  all_controller: 'CONTROLLER',
  controller: 'CONTROLLER',
  gateway: 'CONTROLLER',
};

/** `undefined` for no filter, `null` for a value Central would refuse. */
function deviceTypeFilter(ctx: Ctx): Device['device_type'] | undefined | null {
  const raw = ctx.query.get('device_type');
  if (!raw || raw.toLowerCase() === 'all') return undefined;
  return DEVICE_TYPES[raw.toLowerCase()] ?? null;
}

/**
 * A device as the /msp_api device lists show it. No public client reads a license field there
 * (the license a device holds is in the device inventory's `services`), so none is served.
 */
function listed(d: Device) {
  return {
    serial: d.serial,
    macaddr: d.macaddr,
    device_type: d.device_type,
    model: d.model,
    customer_id: d.customer_id,
    customer_name: d.customer_name,
  };
}

function customerDevices(ctx: Ctx, [id]: string[]): Reply {
  const list = ctx.world.estate.devicesByCustomer.get(id as string);
  if (!list) return centralError(404, `Customer not found: ${id}`, 'msp');
  const p = page(ctx);
  if ('status' in p) return p;
  const type = deviceTypeFilter(ctx);
  if (type === null) return centralError(400, 'Invalid value for device_type', 'msp');
  const devices = type ? list.filter((d) => d.device_type === type) : list;
  return json(200, {
    status: 'success',
    deviceList: {
      devices: devices.slice(p.offset, p.offset + p.limit).map(listed),
      total_devices: devices.length,
    },
  });
}

function mspDevices(ctx: Ctx): Reply {
  const { estate } = ctx.world;
  const p = page(ctx);
  if ('status' in p) return p;
  const type = deviceTypeFilter(ctx);
  if (type === null) return centralError(400, 'Invalid value for device_type', 'msp');
  // device_allocation_status: 0 all, 1 allocated to a tenant, 2 the MSP's own (unallocated).
  const allocation = ctx.query.get('device_allocation_status') ?? '0';
  if (!['0', '1', '2'].includes(allocation)) {
    return centralError(400, 'Invalid value for device_allocation_status', 'msp');
  }
  const name = ctx.query.get('customer_name')?.toLowerCase();
  let list: Device[] = estate.devices;
  if (type || name || allocation !== '0') {
    list = estate.devices.filter(
      (d) =>
        (!type || d.device_type === type) &&
        (!name || d.customer_name.toLowerCase().includes(name)) &&
        (allocation === '0' || (allocation === '1') === estate.isTenant(d.customer_id)),
    );
  }
  return json(200, {
    status: 'success',
    deviceList: { devices: list.slice(p.offset, p.offset + p.limit).map(listed), total_devices: list.length },
  });
}

/**
 * The device inventory with each device's licenses: `services` (a list of service names, as
 * Central Automation Studio reads it to un-license a device), `tier_type`, `subscription_key`.
 */
function inventoryDevices(ctx: Ctx): Reply {
  const { estate } = ctx.world;
  const p = page(ctx, 50);
  if ('status' in p) return p;
  const devices = estate.devices.slice(p.offset, p.offset + p.limit).map((d) => ({
    serial: d.serial,
    macaddr: d.macaddr,
    device_type: d.device_type,
    model: d.model,
    services: d.services,
    tier_type: d.tier_type,
    ...(d.services.length ? { subscription_key: `SBX${d.serial.slice(-6)}` } : {}),
  }));
  return json(200, { total: estate.devices.length, devices });
}

/** The TenantID header: `undefined` for all tenants, `null` for an unknown customer. */
function tenant(ctx: Ctx): string | undefined | null {
  const id = header(ctx.req, 'tenantid');
  if (id === undefined || id === '') return undefined;
  return ctx.world.estate.devicesByCustomer.has(id) ? id : null;
}

/**
 * Counts of licenses and unlicensed devices. Which parameter filters by service, whether TenantID
 * scopes the answer and whether the MSP's own devices count MSP-wide are variants; a parameter
 * that does not filter is ignored, and without a filter (or `license_type=all`, as Automation
 * Studio asks) the answer sums every service.
 */
function stats(ctx: Ctx): Reply {
  const { variants } = ctx.world.settings;
  const param = variants.statsFilter;
  const raw = ctx.query.get(param) ?? undefined;
  const service = raw === undefined || raw === '' || raw.toLowerCase() === 'all' ? undefined : raw;
  if (service !== undefined && !isService(service)) {
    return centralError(400, `Invalid ${param}: ${service}`);
  }
  let t = tenant(ctx);
  if (t === null) return centralError(404, `Customer not found: ${header(ctx.req, 'tenantid')}`);
  if (variants.tenantStats === 'ignored') t = undefined;
  return json(200, ctx.world.estate.stats(service, t, variants.mspInWide));
}

function subscriptions(ctx: Ctx): Reply {
  const { estate } = ctx.world;
  const p = page(ctx, 100);
  if ('status' in p) return p;
  const licenseType = ctx.query.get('license_type');
  const deviceType = ctx.query.get('device_type')?.toUpperCase();
  const all = [...estate.pools.entries()]
    .filter(([s]) => !licenseType || licenseType.toLowerCase() === 'all' || s === licenseType)
    .filter(([s]) => !deviceType || serviceDeviceType(s) === deviceType)
    .map(([service, pool], i) => ({
      subscription_key: 'SBX' + String(i + 1).padStart(6, '0') + estate.mspId.slice(0, 8).toUpperCase(),
      sku: 'SBX-' + service.toUpperCase().replace(/_/g, '-'),
      status: 'OK',
      quantity: pool.quantity,
      available: Math.max(0, pool.quantity - pool.used),
      start_date: 1_700_000_000_000,
      end_date: 1_900_000_000_000,
      license_type: service,
      subscription_type: 'PAID',
    }));
  return json(200, { total: all.length, subscriptions: all.slice(p.offset, p.offset + p.limit) });
}

function stringList(v: unknown): string[] | null {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return null;
  return v as string[];
}

interface JobBody {
  services: string[];
  include: string[];
  exclude: string[];
}

/** The body both the license job and the auto-licensing settings take, validated as Central does. */
function jobBody(ctx: Ctx): JobBody | Reply {
  const { estate, settings } = ctx.world;
  if (!ctx.body.ok) return centralError(400, 'Invalid JSON body');
  const body = (ctx.body.value && typeof ctx.body.value === 'object' ? ctx.body.value : {}) as Record<
    string,
    unknown
  >;
  const include = stringList(body.include_customers);
  const exclude = stringList(body.exclude_customers);
  if (include === null) return centralError(400, 'Invalid field: include_customers');
  if (exclude === null) return centralError(400, 'Invalid field: exclude_customers');
  if (include.length + exclude.length > settings.maxIdsPerRequest) {
    return json(413, { message: 'Request size limit exceeded' });
  }
  const services = stringList(body.services);
  if (!services || services.length === 0) return centralError(400, 'Missing required field: services');
  const unknown = services.find((s) => !isService(s));
  if (unknown !== undefined) return centralError(400, `Invalid service name: ${unknown}`);
  if (include.length > 0 && exclude.length > 0) {
    return centralError(400, 'include_customers and exclude_customers cannot be used together');
  }
  const bad = [...include, ...exclude].find((id) => !estate.devicesByCustomer.has(id));
  if (bad !== undefined) return centralError(400, `Invalid customer id: ${bad}`);
  return { services, include, exclude };
}

function licenseJob(ctx: Ctx, verb: 'assign' | 'unassign'): Reply {
  const { estate, jobs, settings } = ctx.world;
  if (settings.conflictsServed < settings.variants.jobConflict) {
    // 409 is a documented answer of the job ("request unsuccessful"); that it means another
    // license job is still running is our reading (inferred).
    settings.conflictsServed++;
    return centralError(409, 'Another license operation is in progress, try again later');
  }
  const body = jobBody(ctx);
  if ('status' in body) return body;
  const { services, include, exclude } = body;
  // Assignment never touches the MSP's own devices; un-assignment's default scope includes them.
  const universe = estate.customers.map((c) => c.customer_id);
  if (verb === 'unassign') universe.push(estate.mspId);
  let scope: string[];
  if (include.length > 0) {
    const wanted = new Set(include);
    scope = universe.filter((id) => wanted.has(id));
  } else {
    const skip = new Set(exclude);
    scope = universe.filter((id) => !skip.has(id));
  }
  jobs.start(verb, services, scope);
  return json(200, { response: 'success' });
}

/** POST enables (and assigns now), DELETE disables; the documented 200 bodies are texts. */
function autolicenseSettings(ctx: Ctx, enable: boolean): Reply {
  const body = jobBody(ctx);
  if ('status' in body) return body;
  const { autolicense } = ctx.world;
  if (enable) autolicense.enable(body.services, body.include, body.exclude);
  else autolicense.disable(body.services, body.include, body.exclude);
  return json(200, {
    message: enable
      ? 'Successfully assigned licenses and enabled auto licensing for given services.'
      : 'Successfully disabled auto licensing for given services.',
  });
}

/**
 * The services auto-enabled for one customer (the MSP's own id: what new tenants inherit). No
 * public client parses this answer: its shape is a variant.
 */
function autolicenseGet(ctx: Ctx): Reply {
  const { estate, autolicense, settings } = ctx.world;
  const id = ctx.query.get('customer_id');
  if (!id) return centralError(400, 'Missing required field: customer_id');
  if (!estate.devicesByCustomer.has(id)) return centralError(404, `Customer not found: ${id}`);
  const services = autolicense.servicesOf(id);
  switch (settings.variants.autolicenseShape) {
    case 'list':
      return json(200, services);
    case 'data':
      return json(200, { data: { services } });
    default:
      return json(200, { services });
  }
}

/** "True if license tokens are more than device count": a boolean whose wrapping is a variant. */
function autolicenseStatus(ctx: Ctx, [service]: string[]): Reply {
  const s = service as string;
  if (!isService(s)) return centralError(400, `Invalid service name: ${s}`);
  const { autolicense, settings } = ctx.world;
  const ok = autolicense.sufficient(s);
  switch (settings.variants.licenseStatusShape) {
    case 'keyed':
      return json(200, { [s]: ok });
    case 'bare':
      return json(200, ok);
    default:
      return json(200, { status: ok });
  }
}

// Every response shape msp-license reads from Central, in one place. Many are **inferred** in
// docs/central-contract.md (no public source), so every schema is lenient: unknown fields pass, most fields are optional,
// numbers may arrive as strings, lists may be wrapped in `data`. A shape we cannot read at all
// raises ApiError("unexpected response from <endpoint>: ...") (exit 1).

import type { z } from 'zod';
import { isRecord } from '../core/json.js';
import { ApiError } from '../errors.js';
import { vendor } from '../vendor.js';

// ---------------------------------------------------------------- helpers

function shapeError(endpoint: string, detail: string): ApiError {
  return new ApiError(`unexpected response from ${endpoint}: ${detail}`, {
    hint: 'Central answered in a shape msp-license does not know; run with --verbose and report it.',
  });
}

function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid shape';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${where}: ${issue.message}`;
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown, endpoint: string): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw shapeError(endpoint, describeIssues(result.error));
  return result.data;
}

/** A body that arrived as text (wrong content type) but holds JSON. */
function asJson(body: unknown): unknown {
  if (typeof body === 'string' && /^\s*[[{]/.test(body)) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}

/** `{"data": X}` (with at most scalar siblings such as status/message/count) → X. */
function unwrapData(body: unknown): unknown {
  const value = asJson(body);
  if (!isRecord(value) || !('data' in value)) return value;
  const data = value.data;
  if (typeof data !== 'object' || data === null) return value;
  const siblings = Object.entries(value).filter(([key]) => key !== 'data');
  if (siblings.some(([, v]) => typeof v === 'object' && v !== null)) return value;
  return data;
}

// Each schema is built when a parser first needs it (and the schemas it is made of with it), with
// zod: a command answering from the caches loads no zod, and one that reads one kind of answer
// (the stats of `assign --dry-run`) builds only the schemas of that answer.
const zod = () => vendor<typeof import('zod')>('zod').z;

/** The value of `build()`, built on the first call and kept. */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** A number, or a string holding one. */
const num = once(() => {
  const z = zod();
  return z.preprocess((v) => {
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return v;
  }, z.number());
});
const optNum = once(() => num().optional().nullable().catch(undefined));
/** A string, or a number printed as one (ids). */
const idString = once(() => {
  const z = zod();
  return z.union([z.string(), z.number().transform((n) => String(n))]);
});
const optString = once(() => {
  const z = zod();
  return z
    .union([z.string(), z.number().transform((n) => String(n))])
    .optional()
    .nullable()
    .catch(undefined);
});

const S = {
  TokenAnswerSchema: once(() => {
    const z = zod();
    return z
      .object({
        access_token: z.string().min(1),
        refresh_token: z.string().min(1).optional().nullable().catch(undefined),
        expires_in: optNum(),
        token_type: optString(),
        scope: optString(),
        created_at: z.unknown().optional(),
      })
      .loose();
  }),
  AuthCodeSchema: once(() => {
    const z = zod();
    return z.object({ auth_code: z.string().min(1) }).loose();
  }),
  ServiceValueSchema: once(() => {
    const z = zod();
    return z
      .object({
        service_category: optString(),
        category: optString(),
        device_type: z
          .union([z.string(), z.array(z.string())])
          .optional()
          .nullable()
          .catch(undefined),
        display_name: optString(),
        name: optString(),
        service_name: optString(),
      })
      .loose();
  }),
  CustomerSchema: once(() => {
    const z = zod();
    return z
      .object({
        customer_id: idString(),
        customer_name: optString(),
        name: optString(),
        msp_id: optString(),
        group: z.object({ name: optString() }).loose().optional().nullable().catch(undefined),
        group_name: optString(),
        provision_status: optString(),
        account_type: optString(),
        description: optString(),
      })
      .loose();
  }),
  CustomersPageSchema: once(() => {
    const z = zod();
    return z
      .object({
        customers: z.array(z.unknown()).nullable().optional(),
        total: optNum(),
        total_count: optNum(),
        count: optNum(),
      })
      .loose();
  }),
  DeviceSchema: once(() => {
    const z = zod();
    return z
      .object({
        serial: optString(),
        serial_number: optString(),
        macaddr: optString(),
        mac_address: optString(),
        mac: optString(),
        device_type: optString(),
        model: optString(),
        customer_id: optString(),
        customer_name: optString(),
      })
      .loose();
  }),
  DevicesPageSchema: once(() => {
    const z = zod();
    return z
      .object({
        deviceList: z
          .object({
            devices: z.array(z.unknown()).nullable().optional(),
            total_devices: optNum(),
            total: optNum(),
          })
          .loose()
          .optional()
          .nullable()
          .catch(undefined),
        devices: z.array(z.unknown()).nullable().optional().catch(undefined),
        total: optNum(),
        total_devices: optNum(),
        count: optNum(),
      })
      .loose();
  }),
  StatsSchema: once(() => {
    const z = zod();
    return z
      .object({
        total: optNum(),
        available: optNum(),
        used: optNum(),
        non_subscribed_devices: optNum(),
        expiring: optNum(),
      })
      .loose();
  }),
  LicenseJobSchema: once(() => {
    const z = zod();
    return z.object({ response: optString(), message: optString(), status: optString() }).loose();
  }),
};
type Out<K extends keyof typeof S> = z.output<ReturnType<(typeof S)[K]>>;

function clean<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) {
    if (obj[key] === undefined || obj[key] === null) delete obj[key];
  }
  return obj;
}

/** Epoch seconds or milliseconds, or a date string, to ISO (undefined when unreadable). */
export function toIsoDate(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
    const n = Number(value);
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string') {
    ms = Date.parse(value);
  } else {
    return undefined;
  }
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

// ---------------------------------------------------------------- tokens

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  /** Seconds. */
  expires_in?: number;
  token_type?: string;
  scope?: string;
  /** ISO, from Download Token's `created_at` when present. */
  created_at?: string;
}

function toTokenAnswer(data: Out<'TokenAnswerSchema'>): TokenAnswer {
  return clean({
    access_token: data.access_token,
    refresh_token: data.refresh_token ?? undefined,
    expires_in: data.expires_in ?? undefined,
    token_type: data.token_type ?? undefined,
    scope: data.scope ?? undefined,
    created_at: toIsoDate(data.created_at),
  });
}

/** The answer of POST /oauth2/token. */
export function parseTokenAnswer(body: unknown, endpoint = 'POST /oauth2/token'): TokenAnswer {
  return toTokenAnswer(parseWith(S.TokenAnswerSchema(), unwrapData(body), endpoint));
}

/**
 * The JSON of Central's "Download Token" dialog (pasted, or from --token-file). Throws a message
 * without the content: the text is full of secrets.
 */
export function parseDownloadToken(text: string): TokenAnswer {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch {
    throw new ApiError('the token is not valid JSON (expected the JSON from "Download Token" in Central)', {
      hint: 'In Central: API Gateway → System Apps & Tokens → Download Token, and paste or save that JSON as is.',
    });
  }
  const result = S.TokenAnswerSchema().safeParse(unwrapData(value));
  if (!result.success) {
    throw new ApiError('the token JSON has no "access_token" (expected the JSON from "Download Token")', {
      hint: 'In Central: API Gateway → System Apps & Tokens → Download Token, and paste or save that JSON as is.',
    });
  }
  return toTokenAnswer(result.data);
}

// ---------------------------------------------------------------- login

export function parseAuthCode(body: unknown, endpoint: string): string {
  return parseWith(S.AuthCodeSchema(), unwrapData(body), endpoint).auth_code;
}

// ---------------------------------------------------------------- services

export interface ServiceInfo {
  name: string;
  category?: string;
  deviceType?: string;
  displayName?: string;
}

function serviceFrom(name: string, value: unknown): ServiceInfo {
  if (typeof value === 'string') return clean({ name, displayName: value });
  const parsed = S.ServiceValueSchema().safeParse(value);
  if (!parsed.success) return { name };
  const v = parsed.data;
  const deviceType = Array.isArray(v.device_type) ? v.device_type.join(',') : (v.device_type ?? undefined);
  return clean({
    name,
    category: v.service_category ?? v.category ?? undefined,
    deviceType,
    displayName: v.display_name ?? undefined,
  });
}

/**
 * GET .../services/config: an object keyed by service name, possibly `{"data": {...}}`; also
 * accepted: a list of names or of objects with `name`/`service_name`, or `{"services": ...}`.
 */
export function parseServices(body: unknown, endpoint: string): ServiceInfo[] {
  let value = unwrapData(body);
  if (isRecord(value) && 'services' in value && (isRecord(value.services) || Array.isArray(value.services))) {
    value = value.services;
  }
  const out: ServiceInfo[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string' && item !== '') out.push({ name: item });
      else if (isRecord(item)) {
        const name = item.service_name ?? item.name ?? item.service;
        if (typeof name === 'string' && name !== '') out.push(serviceFrom(name, item));
      }
    }
  } else if (isRecord(value)) {
    for (const [name, entry] of Object.entries(value)) {
      if (name !== '') out.push(serviceFrom(name, entry));
    }
  } else {
    throw shapeError(endpoint, 'expected an object keyed by service name');
  }
  if (out.length === 0) throw shapeError(endpoint, 'the list of services is empty');
  return out;
}

// ---------------------------------------------------------------- customers

export interface Customer {
  id: string;
  name: string;
  /** The MSP's own customer id (`msp_id`, pycentral `get_msp_id` reads it). */
  mspId?: string;
  groupName?: string;
  provisionStatus?: string;
  accountType?: string;
  description?: string;
}

export interface Page<T> {
  items: T[];
  total?: number;
  /** Records dropped because they lacked an id. */
  skipped: number;
}

function listOf<T>(
  raw: unknown,
  item: z.ZodType,
  map: (data: never) => T | undefined,
): { items: T[]; skipped: number } {
  const items: T[] = [];
  let skipped = 0;
  if (!Array.isArray(raw)) return { items, skipped };
  for (const entry of raw) {
    const result = item.safeParse(entry);
    const mapped = result.success ? map(result.data as never) : undefined;
    if (mapped === undefined) skipped += 1;
    else items.push(mapped);
  }
  return { items, skipped };
}

/** GET /msp_api/v1/customers → `{"customers":[...],"total":N}` (possibly `data`-wrapped). */
export function parseCustomersPage(body: unknown, endpoint = 'GET /msp_api/v1/customers'): Page<Customer> {
  const value = unwrapData(body);
  const page = parseWith(S.CustomersPageSchema(), value, endpoint);
  if (page.customers === undefined && !('customers' in (value as object))) {
    throw shapeError(endpoint, 'no "customers" list');
  }
  const { items, skipped } = listOf<Customer>(
    page.customers ?? [],
    S.CustomerSchema(),
    (c: Out<'CustomerSchema'>) =>
      clean({
        id: c.customer_id,
        name: c.customer_name ?? c.name ?? c.customer_id,
        mspId: c.msp_id ?? undefined,
        groupName: c.group?.name ?? c.group_name ?? undefined,
        provisionStatus: c.provision_status ?? undefined,
        accountType: c.account_type ?? undefined,
        description: c.description ?? undefined,
      }),
  );
  return clean({ items, total: page.total ?? page.total_count ?? undefined, skipped });
}

// ---------------------------------------------------------------- devices

export interface Device {
  serial: string;
  mac?: string;
  deviceType?: string;
  model?: string;
  customerId?: string;
  customerName?: string;
}

function toDevice(d: Out<'DeviceSchema'>): Device | undefined {
  const serial = d.serial ?? d.serial_number;
  if (!serial) return undefined;
  return clean({
    serial,
    mac: d.macaddr ?? d.mac_address ?? d.mac ?? undefined,
    deviceType: d.device_type ?? undefined,
    model: d.model ?? undefined,
    customerId: d.customer_id ?? undefined,
    customerName: d.customer_name ?? undefined,
  });
}

/**
 * A device page: per customer `{"deviceList":{"devices":[...],"total_devices":N}}`, MSP-wide
 * `{"devices":[...],"total":N}` (either possibly `data`-wrapped).
 */
export function parseDevicesPage(body: unknown, endpoint: string): Page<Device> {
  const page = parseWith(S.DevicesPageSchema(), unwrapData(body), endpoint);
  const list = page.deviceList?.devices ?? page.devices;
  if (list === undefined) throw shapeError(endpoint, 'no "devices" list');
  const total =
    page.deviceList?.total_devices ?? page.deviceList?.total ?? page.total ?? page.total_devices ?? undefined;
  const { items, skipped } = listOf<Device>(list ?? [], S.DeviceSchema(), toDevice);
  return clean({ items, total, skipped });
}

// ---------------------------------------------------------------- stats

/**
 * `subscriptions/stats`, read as the public clients read it (docs/central-contract.md): `total`,
 * `available` and `used` count **licenses** (the pool, the unconsumed, the consumed: one per
 * licensed device), `non_subscribed_devices` counts **devices** without a license, `expiring`
 * licenses. Nothing else is read.
 */
export interface ServiceStats {
  service: string;
  /** Licenses consumed (`used`): one per licensed device in what the answer covers. */
  licensesUsed: number;
  /** Devices without a license (`non_subscribed_devices`). */
  unlicensedDevices: number;
  /** Licenses in the pool (`total`). */
  licensesTotal?: number;
  /** Licenses not consumed (`available`). */
  licensesAvailable?: number;
  /** Licenses expiring soon (`expiring`). */
  expiring?: number;
}

/** GET /platform/licensing/v1/subscriptions/stats (possibly `data`-wrapped). */
export function parseStats(
  body: unknown,
  service: string,
  endpoint = 'GET /platform/licensing/v1/subscriptions/stats',
): ServiceStats {
  const s = parseWith(S.StatsSchema(), unwrapData(body), endpoint);
  if (s.used == null || s.non_subscribed_devices == null) {
    throw shapeError(endpoint, 'no "used" and "non_subscribed_devices" counts');
  }
  return clean({
    service,
    licensesUsed: s.used,
    unlicensedDevices: s.non_subscribed_devices,
    licensesTotal: s.total ?? undefined,
    licensesAvailable: s.available ?? undefined,
    expiring: s.expiring ?? undefined,
  });
}

// ---------------------------------------------------------------- the license job

export interface LicenseJobAnswer {
  /** `{"response":"success"}` [inferred]; anything else is kept in `raw`. */
  response?: string;
  message?: string;
  raw: unknown;
}

/** The 2xx answer of the license job. Undocumented: never fails, keeps what it got. */
export function parseLicenseJobAnswer(body: unknown): LicenseJobAnswer {
  const value = unwrapData(body);
  if (typeof value === 'string') return { message: value.trim() || undefined, raw: value };
  const result = S.LicenseJobSchema().safeParse(value);
  if (!result.success) return { raw: value };
  return clean({
    response: result.data.response ?? result.data.status ?? undefined,
    message: result.data.message ?? undefined,
    raw: value,
  });
}

// ---------------------------------------------------------------- auto-licensing

/**
 * GET …/msp/customer/settings/autolicense?customer_id=ID: "the services auto-enabled". No public
 * client parses the answer, so every plausible shape is read — `{"services":[…]}`, a bare list,
 * either inside `data` — and anything else is `undefined` (unknown, never "none").
 */
export function parseAutoLicenseServices(body: unknown): string[] | undefined {
  let value = unwrapData(body);
  if (isRecord(value) && 'services' in value) value = value.services;
  if (isRecord(value) && isRecord(value.data) && 'services' in value.data) value = value.data.services;
  if (!Array.isArray(value)) return undefined;
  // An item that carries its own on/off state is not a plain "on" list: unknown.
  if (value.some((item) => isRecord(item) && ('enabled' in item || 'status' in item || 'state' in item))) {
    return undefined;
  }
  const names = value.map((item) =>
    typeof item === 'string'
      ? item
      : isRecord(item)
        ? (item.service_name ?? item.name ?? item.service)
        : undefined,
  );
  return names.every((n): n is string => typeof n === 'string') ? names : undefined;
}

/**
 * GET …/autolicensing/services/{service}/status: "True if license tokens are more than device
 * count" (pycentral's docstring). The wrapping is not documented: a bare boolean, `{"status":b}`
 * or `{"<service>":b}`; anything else (`{"paused":true}`…) is `undefined`, never a guess.
 */
export function parseLicenseStatus(body: unknown, service: string): boolean | undefined {
  const value = unwrapData(body);
  if (typeof value === 'boolean') return value;
  if (!isRecord(value)) return undefined;
  for (const key of ['status', service, service.toLowerCase()]) {
    if (typeof value[key] === 'boolean') return value[key] as boolean;
  }
  return undefined;
}

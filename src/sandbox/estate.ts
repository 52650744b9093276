// The simulated MSP estate: tenant customers, their devices, the MSP's own devices, the license
// pools, and counters kept up to date on every change so that stats never scan devices.

import { createRng, hex32, pick, type Rng } from './random.js';
import {
  type DeviceType,
  eligibleServices,
  SERVICE_NAMES,
  type ServiceConfig,
  serviceCatalog,
} from './services.js';

export interface Customer {
  customer_id: string;
  customer_name: string;
  msp_id: string;
  account_type: 'CUSTOMER';
  provision_status: 'PROVISIONED';
  created_at: number;
  updated_at: number;
  description: string;
  group: { name: string; id: number };
}

export interface Device {
  serial: string;
  macaddr: string;
  device_type: DeviceType;
  model: string;
  customer_id: string;
  customer_name: string;
  /** Licenses held. Replaced (never mutated in place) on every change. */
  services: string[];
  tier_type: string;
}

export interface Counter {
  eligible: number;
  licensed: number;
}

export interface Pool {
  quantity: number;
  used: number;
}

/**
 * The answer of `subscriptions/stats`, exactly the fields public clients read (Central Automation
 * Studio's licensing page; see docs/central-contract.md): `total`/`available`/`used` count
 * **licenses** of the pool, `non_subscribed_devices` counts devices without one.
 */
export interface ServiceStats {
  total: number;
  available: number;
  used: number;
  non_subscribed_devices: number;
  expiring: number;
}

export interface EstateOptions {
  seed?: number;
  customers?: number;
  devices?: number;
  mspDevices?: number;
  customerNames?: string[];
  licenses?: number | Record<string, number>;
  /** Share of devices that already hold their foundation license at start (0..1), default 0.1. */
  preLicensed?: number;
}

export const DEFAULT_LICENSES = 1_000_000;
export const MSP_CUSTOMER_NAME = 'MSP';

const EMPTY: string[] = [];

export class Estate {
  readonly customers: Customer[] = [];
  readonly customerById = new Map<string, Customer>();
  /** Tenant devices grouped by customer, then the MSP's own devices. */
  readonly devices: Device[] = [];
  readonly devicesByCustomer = new Map<string, Device[]>();
  /** The MSP's own devices (the same array as `devicesByCustomer.get(mspId)`). */
  readonly mspDevices: Device[] = [];
  readonly services: Record<string, ServiceConfig> = serviceCatalog();
  readonly pools = new Map<string, Pool>();
  private readonly perCustomer = new Map<string, Map<string, Counter>>();
  private readonly tenantTotals = new Map<string, Counter>();
  private readonly allTotals = new Map<string, Counter>();

  constructor(
    readonly mspId: string,
    licenses: number | Record<string, number>,
  ) {
    this.devicesByCustomer.set(mspId, this.mspDevices);
    for (const s of SERVICE_NAMES) {
      const quantity = typeof licenses === 'number' ? licenses : (licenses[s] ?? DEFAULT_LICENSES);
      this.pools.set(s, { quantity, used: 0 });
      this.tenantTotals.set(s, { eligible: 0, licensed: 0 });
      this.allTotals.set(s, { eligible: 0, licensed: 0 });
    }
  }

  private appeared = 0;

  /** A device that appears now (a sandbox control): a new serial and MAC, no license. */
  newDevice(customerId: string, deviceType: DeviceType = 'IAP'): Device {
    const n = ++this.appeared;
    const customer = this.customerById.get(customerId);
    const model = deviceType === 'IAP' ? 'AP-515' : deviceType === 'SWITCH' ? '6300M' : '7210';
    const device: Device = {
      serial: `NEW${String(n).padStart(7, '0')}`,
      macaddr: `20:4d:00:${HEX[(n >> 16) & 255]}:${HEX[(n >> 8) & 255]}:${HEX[n & 255]}`,
      device_type: deviceType,
      model,
      customer_id: customerId,
      customer_name: customer?.customer_name ?? MSP_CUSTOMER_NAME,
      services: EMPTY,
      tier_type: '',
    };
    this.addDevice(device);
    return device;
  }

  /** A tenant created now. */
  newCustomer(name: string, group = 'default'): Customer {
    let id = '';
    do {
      id = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
    } while (this.devicesByCustomer.has(id));
    const now = Math.floor(Date.now() / 1000);
    const customer: Customer = {
      customer_id: id,
      customer_name: name,
      msp_id: this.mspId,
      account_type: 'CUSTOMER',
      provision_status: 'PROVISIONED',
      created_at: now,
      updated_at: now,
      description: `Managed network for ${name}`,
      group: { name: group, id: 1000 },
    };
    this.addCustomer(customer);
    return customer;
  }

  get tenantDeviceCount(): number {
    return this.devices.length - this.mspDevices.length;
  }

  isTenant(customerId: string): boolean {
    return customerId !== this.mspId;
  }

  addCustomer(customer: Customer): void {
    this.customers.push(customer);
    this.customerById.set(customer.customer_id, customer);
    this.devicesByCustomer.set(customer.customer_id, []);
  }

  addDevice(device: Device): void {
    this.devices.push(device);
    let list = this.devicesByCustomer.get(device.customer_id);
    if (!list) {
      list = [];
      this.devicesByCustomer.set(device.customer_id, list);
    }
    list.push(device);
    for (const s of eligibleServices(device)) this.bump(device.customer_id, s, 'eligible', 1);
    for (const s of device.services) this.bump(device.customer_id, s, 'licensed', 1);
  }

  /** Gives `service` to `device`, consuming one license. False if held already or none left. */
  grant(device: Device, service: string): boolean {
    const pool = this.pools.get(service);
    if (!pool || pool.used >= pool.quantity || device.services.includes(service)) return false;
    pool.used++;
    device.services = [...device.services, service];
    device.tier_type = tierOf(device.services);
    this.bump(device.customer_id, service, 'licensed', 1);
    return true;
  }

  /** Removes `service` from `device`, returning its license to the pool. */
  revoke(device: Device, service: string): boolean {
    if (!device.services.includes(service)) return false;
    const pool = this.pools.get(service);
    if (pool) pool.used = Math.max(0, pool.used - 1);
    device.services = device.services.filter((s) => s !== service);
    device.tier_type = tierOf(device.services);
    this.bump(device.customer_id, service, 'licensed', -1);
    return true;
  }

  available(service: string): number {
    const pool = this.pools.get(service);
    return pool ? Math.max(0, pool.quantity - pool.used) : 0;
  }

  /** Counts for one customer (or the MSP's own devices), or over all tenants without an id. */
  counter(service: string, customerId?: string): Counter {
    if (customerId === undefined) return this.tenantTotals.get(service) ?? { eligible: 0, licensed: 0 };
    return this.perCustomer.get(customerId)?.get(service) ?? { eligible: 0, licensed: 0 };
  }

  /** Counts over every device, the MSP's own included. */
  totalCounter(service: string): Counter {
    return this.allTotals.get(service) ?? { eligible: 0, licensed: 0 };
  }

  customerCounters(customerId: string): Map<string, Counter> | undefined {
    return this.perCustomer.get(customerId);
  }

  /**
   * Stats for one service (all services without one), over one customer's devices, or MSP-wide
   * without an id: tenants' devices, plus the MSP's own when `includeMsp` (a variant). `used` is
   * the licenses consumed: by that customer's devices, or MSP-wide by every device.
   */
  stats(service: string | undefined, customerId: string | undefined, includeMsp: boolean): ServiceStats {
    const names = service === undefined ? [...this.pools.keys()] : [service];
    const out: ServiceStats = { total: 0, available: 0, used: 0, non_subscribed_devices: 0, expiring: 0 };
    for (const name of names) {
      const pool = this.pools.get(name) ?? { quantity: 0, used: 0 };
      const c =
        customerId !== undefined
          ? this.counter(name, customerId)
          : includeMsp
            ? this.totalCounter(name)
            : this.counter(name);
      out.total += pool.quantity;
      out.available += Math.max(0, pool.quantity - pool.used);
      out.used += customerId !== undefined ? c.licensed : pool.used;
      out.non_subscribed_devices += Math.max(0, c.eligible - c.licensed);
    }
    return out;
  }

  private bump(customerId: string, service: string, field: keyof Counter, by: number): void {
    let map = this.perCustomer.get(customerId);
    if (!map) {
      map = new Map();
      this.perCustomer.set(customerId, map);
    }
    let c = map.get(service);
    if (!c) {
      c = { eligible: 0, licensed: 0 };
      map.set(service, c);
    }
    c[field] += by;
    const all = this.allTotals.get(service);
    if (all) all[field] += by;
    if (customerId !== this.mspId) {
      const t = this.tenantTotals.get(service);
      if (t) t[field] += by;
    }
  }
}

function tierOf(services: readonly string[]): string {
  if (services.some((s) => s.startsWith('advance'))) return 'advanced';
  if (services.some((s) => s.startsWith('foundation'))) return 'foundation';
  return '';
}

const COMPANY = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Woodgrove',
  'Adventure Works',
  'Blue Yonder',
  'Alpine Ski',
  'Litware',
  'Proseware',
  'Wingtip',
  'Humongous',
  'Lucerne',
  'Fourth Coffee',
  'Coho',
  'Trey Research',
  'Wide World',
  'Southridge',
  'Margie',
  'Relecloud',
];
const SECTOR = [
  'Clinics',
  'Logistics',
  'Schools',
  'Hotels',
  'Retail',
  'Bank',
  'Labs',
  'Foods',
  'Motors',
  'Legal',
  'Dental',
  'Energy',
  'Airlines',
  'Insurance',
  'Pharmacy',
  'Stadium',
];
const GROUPS = ['default', 'Branches', 'Campus', 'Retail Stores', 'Warehouses'];
const AP_MODELS = ['AP-505', 'AP-515', 'AP-635'];
const SWITCH_MODELS = ['6100', '6200', '6300M', '6400', '8400'];
const GATEWAY_MODELS = ['7005', '7210', '9004'];
const SERIAL_SPACE = 36 ** 8;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

const B36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Four base-36 digits of a number below 36^4 (toString(36) on doubles is slow at this scale). */
function base36(n: number): string {
  let out = '';
  for (let i = 0; i < 4; i++) {
    out = B36[n % 36] + out;
    n = Math.floor(n / 36);
  }
  return out;
}

function makeDevice(rng: Rng, index: number, seed: number, customer: { id: string; name: string }): Device {
  const r = rng();
  let device_type: DeviceType;
  let model: string;
  if (r < 0.6) {
    device_type = 'IAP';
    model = pick(rng, AP_MODELS);
  } else if (r < 0.9) {
    device_type = 'SWITCH';
    model = pick(rng, SWITCH_MODELS);
  } else {
    device_type = 'CONTROLLER';
    model = pick(rng, GATEWAY_MODELS);
  }
  // A bijection of the index (the multiplier is coprime with 36^8), so serials never collide.
  const n = (index * 2654435761 + (seed >>> 0) * 7919 + 12345) % SERIAL_SPACE;
  const serial = 'CN' + base36(Math.floor(n / 36 ** 4)) + base36(n % 36 ** 4);
  const m = (index + (seed >>> 0) * 104729) % 0x1000000;
  const macaddr = `20:4c:03:${HEX[(m >> 16) & 255]}:${HEX[(m >> 8) & 255]}:${HEX[m & 255]}`;
  return {
    serial,
    macaddr,
    device_type,
    model,
    customer_id: customer.id,
    customer_name: customer.name,
    services: EMPTY,
    tier_type: '',
  };
}

/** Uneven but deterministic split of `total` devices over `n` customers. */
function spread(rng: Rng, n: number, total: number): number[] {
  if (n === 0) return [];
  const weights = Array.from({ length: n }, () => {
    const r = rng();
    return 0.15 + r * r * r * 4;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) counts[i] = (counts[i] as number) + 1;
  return counts;
}

export function generateEstate(options: EstateOptions = {}): Estate {
  const seed = options.seed ?? 1;
  const nCustomers = options.customers ?? 20;
  const nDevices = options.devices ?? 500;
  const nMsp = options.mspDevices ?? 5;
  const share = options.preLicensed ?? 0.1;
  const rng = createRng(seed);
  const mspId = hex32(rng);
  const estate = new Estate(mspId, options.licenses ?? DEFAULT_LICENSES);
  const ids = new Set<string>([mspId]);
  const base = 1_600_000_000;
  for (let i = 0; i < nCustomers; i++) {
    let id = hex32(rng);
    while (ids.has(id)) id = hex32(rng);
    ids.add(id);
    const name =
      options.customerNames?.[i] ??
      `${pick(rng, COMPANY)} ${pick(rng, SECTOR)} ${String(i + 1).padStart(4, '0')}`;
    const created = base + Math.floor(rng() * 80_000_000);
    const g = Math.floor(rng() * GROUPS.length);
    estate.addCustomer({
      customer_id: id,
      customer_name: name,
      msp_id: mspId,
      account_type: 'CUSTOMER',
      provision_status: 'PROVISIONED',
      created_at: created,
      updated_at: created + Math.floor(rng() * 10_000_000),
      description: `Managed network for ${name}`,
      group: { name: GROUPS[g] as string, id: 1000 + g },
    });
  }
  const counts = spread(rng, nCustomers, nCustomers > 0 ? nDevices : 0);
  let index = 0;
  const place = (customer: { id: string; name: string }, n: number) => {
    for (let k = 0; k < n; k++) {
      const device = makeDevice(rng, index++, seed, customer);
      const preLicense = rng() < share;
      estate.addDevice(device);
      if (preLicense) {
        const foundation = eligibleServices(device).find((s) => s.startsWith('foundation'));
        if (foundation) estate.grant(device, foundation);
      }
    }
  };
  estate.customers.forEach((c, i) => {
    place({ id: c.customer_id, name: c.customer_name }, counts[i] as number);
  });
  place({ id: mspId, name: MSP_CUSTOMER_NAME }, nMsp);
  return estate;
}

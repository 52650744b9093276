// MSP auto-licensing, as the API reference pages and pycentral's docstrings describe it
// (docs/central-contract.md, section 9): enabling turns it on for the services and assigns them
// now; with neither list it applies to the MSP, every tenant and every future tenant (new tenants
// inherit the MSP's setting); disabling leaves current licenses alone; assignment is paused while
// a service's licenses are fewer than the devices (MSP and tenants counted). New devices of a
// customer with a service auto-enabled get it when they appear, unless paused.
import type { Device, Estate } from './estate.js';
import type { JobEngine } from './jobs.js';
import { eligibleServices } from './services.js';

export class AutoLicensing {
  /** Services the MSP itself has on: what a new tenant inherits. */
  readonly mspDefault = new Set<string>();
  private readonly perCustomer = new Map<string, Set<string>>();

  constructor(
    private readonly estate: Estate,
    private readonly jobs: JobEngine,
  ) {}

  servicesOf(customerId: string): string[] {
    if (customerId === this.estate.mspId) return [...this.mspDefault].sort();
    return [...(this.perCustomer.get(customerId) ?? [])].sort();
  }

  /** Whether the licenses cover the devices (MSP and tenants counted): false means paused. */
  sufficient(service: string): boolean {
    const pool = this.estate.pools.get(service);
    if (!pool) return false;
    return pool.quantity >= this.estate.totalCounter(service).eligible;
  }

  /** Which customers a request's lists cover (tenants; the MSP too with neither list). */
  private scope(include: string[], exclude: string[]): { tenants: string[]; msp: boolean } {
    const all = this.estate.customers.map((c) => c.customer_id);
    if (include.length) return { tenants: all.filter((id) => include.includes(id)), msp: false };
    if (exclude.length) return { tenants: all.filter((id) => !exclude.includes(id)), msp: false };
    return { tenants: all, msp: true };
  }

  enable(services: string[], include: string[], exclude: string[]): void {
    const { tenants, msp } = this.scope(include, exclude);
    if (msp) for (const s of services) this.mspDefault.add(s);
    for (const id of tenants) {
      let set = this.perCustomer.get(id);
      if (!set) {
        set = new Set();
        this.perCustomer.set(id, set);
      }
      for (const s of services) set.add(s);
    }
    // "enables auto licensing ... and assigns them to all devices of the tenants in scope";
    // assignment never touches MSP-owned devices, and is paused while licenses are short.
    const running = services.filter((s) => this.sufficient(s));
    if (running.length && tenants.length) this.jobs.start('assign', running, tenants);
  }

  disable(services: string[], include: string[], exclude: string[]): void {
    const { tenants, msp } = this.scope(include, exclude);
    if (msp) for (const s of services) this.mspDefault.delete(s);
    for (const id of tenants) for (const s of services) this.perCustomer.get(id)?.delete(s);
  }

  /** A tenant created now inherits the MSP's setting. */
  inherit(customerId: string): void {
    this.perCustomer.set(customerId, new Set(this.mspDefault));
  }

  /** A device that appears now: licensed for its customer's auto-enabled services, unless paused. */
  deviceAdded(device: Device): void {
    const on = this.perCustomer.get(device.customer_id);
    if (!on || !this.estate.isTenant(device.customer_id)) return;
    for (const s of eligibleServices(device)) {
      if (on.has(s) && this.sufficient(s)) this.estate.grant(device, s);
    }
  }
}

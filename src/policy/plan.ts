// What the estate lacks against the policy, and the fewest jobs that converge it. Pure: the state
// read from Central comes in (src/commands/plan/state.ts reads it), the drift and the jobs go out.
import type { CustomerRef } from '../core/customers.js';
import type { Desired } from './resolve.js';

export interface Counts {
  /** Devices holding the service. */
  licensed: number;
  /** Devices eligible for it that do not hold it. */
  unlicensed: number;
}

export interface Observed {
  /** customer id → service → counts; undefined when per-tenant counts cannot be known. */
  counts?: Map<string, Map<string, Counts>>;
  /** Why the counts are unknown. */
  countsUnknown?: string;
  /** customer id → services with auto-licensing on (null: the answer could not be read). */
  auto: Map<string, string[] | null>;
  /** service → licenses of the pool not consumed (MSP-wide `available`). */
  available: Map<string, number | undefined>;
}

export type DriftKind = 'unlicensed' | 'licensed' | 'auto-off' | 'auto-on' | 'unknown';

export interface DriftItem {
  service: string;
  kind: DriftKind;
  /** Devices concerned (unlicensed: lacking the license; licensed: holding it). */
  devices?: number;
  rule: number;
}

export interface CustomerDrift extends CustomerRef {
  items: DriftItem[];
}

export type JobAction = 'autolicense-disable' | 'unassign' | 'autolicense-enable' | 'assign';

export interface PlannedJob {
  action: JobAction;
  services: string[];
  customers: CustomerRef[];
  /** Per service: devices the job changes (assign/enable: unlicensed ones; unassign: licensed ones). */
  devices: Record<string, number>;
}

export interface Shortfall {
  service: string;
  /** Devices to license. */
  needed: number;
  /** Licenses available now, plus those the plan's unassign jobs give back. */
  available: number;
  short: number;
}

export interface PolicyPlan {
  jobs: PlannedJob[];
  drift: CustomerDrift[];
  shortfall: Shortfall[];
  /** Customers whose state could not be decided, and why. */
  undecided?: { customers: number; reason: string };
  inSync: boolean;
}

const ORDER: JobAction[] = ['autolicense-disable', 'unassign', 'autolicense-enable', 'assign'];

function describe(item: DriftItem): string {
  switch (item.kind) {
    case 'unlicensed':
      return `${item.devices} device${item.devices === 1 ? '' : 's'} without the license`;
    case 'licensed':
      return `${item.devices} device${item.devices === 1 ? '' : 's'} holding it (must hold none)`;
    case 'auto-off':
      return 'auto-licensing off (must be on)';
    case 'auto-on':
      return 'auto-licensing on (must be off)';
    default:
      return 'unknown';
  }
}

/** One line per drifted customer, for `plan --check` on stderr: its services, each with what differs. */
export function driftLine(d: CustomerDrift): string {
  const byService = new Map<string, string[]>();
  for (const item of d.items) {
    const list = byService.get(item.service) ?? [];
    list.push(describe(item));
    byService.set(item.service, list);
  }
  return `drift: ${d.name} (${d.id}): ${[...byService].map(([s, what]) => `${s}: ${what.join(', ')}`).join('; ')}`;
}

export function planPolicy(desired: Desired, observed: Observed): PolicyPlan {
  const drift: CustomerDrift[] = [];
  // action → service → customer ids
  const work = new Map<JobAction, Map<string, Map<string, number>>>();
  const add = (action: JobAction, service: string, id: string, devices: number) => {
    let byService = work.get(action);
    if (!byService) {
      byService = new Map();
      work.set(action, byService);
    }
    let ids = byService.get(service);
    if (!ids) {
      ids = new Map();
      byService.set(service, ids);
    }
    ids.set(id, devices);
  };
  let undecided = 0;
  let undecidedCounts = 0;
  let undecidedAuto = 0;
  for (const [id, wants] of desired.wants) {
    const customer = desired.customers.get(id) as CustomerRef;
    const items: DriftItem[] = [];
    let unknown = false;
    let autoUnknown = false;
    const counts = observed.counts?.get(id);
    const auto = observed.auto.get(id);
    for (const [service, want] of wants) {
      const c = counts?.get(service);
      if (!c) unknown = true;
      let autoOn: boolean | undefined;
      if (want.auto !== undefined) {
        if (auto === null || auto === undefined) autoUnknown = true;
        else autoOn = auto.includes(service);
      }
      if (want.state === 'present') {
        const enable = want.auto === true && autoOn === false;
        if (enable) {
          items.push({ service, kind: 'auto-off', rule: want.rule });
          add('autolicense-enable', service, id, c?.unlicensed ?? 0);
        }
        if (want.auto === false && autoOn === true) {
          items.push({ service, kind: 'auto-on', rule: want.rule });
          add('autolicense-disable', service, id, 0);
        }
        if (c && c.unlicensed > 0) {
          items.push({ service, kind: 'unlicensed', devices: c.unlicensed, rule: want.rule });
          // Enabling auto-licensing assigns the service now as well: no assign job besides it.
          if (!enable) add('assign', service, id, c.unlicensed);
        }
      } else {
        if (autoOn === true) {
          items.push({ service, kind: 'auto-on', rule: want.rule });
          add('autolicense-disable', service, id, 0);
        }
        if (c && c.licensed > 0) {
          items.push({ service, kind: 'licensed', devices: c.licensed, rule: want.rule });
          add('unassign', service, id, c.licensed);
        }
      }
    }
    // A customer is undecided when its counts or its auto-licensing answer are unknown.
    if (unknown || autoUnknown) undecided++;
    if (unknown) undecidedCounts++;
    if (autoUnknown) undecidedAuto++;
    if (items.length) drift.push({ ...customer, items });
  }

  // The fewest jobs: per action, the services whose customers are the same go in one job.
  const jobs: PlannedJob[] = [];
  for (const action of ORDER) {
    const byService = work.get(action);
    if (!byService) continue;
    const groups = new Map<string, PlannedJob>();
    for (const [service, ids] of byService) {
      const key = [...ids.keys()].sort().join(',');
      let job = groups.get(key);
      if (!job) {
        job = {
          action,
          services: [],
          customers: [...ids.keys()].map((id) => desired.customers.get(id) as CustomerRef),
          devices: {},
        };
        groups.set(key, job);
      }
      job.services.push(service);
      job.devices[service] = [...ids.values()].reduce((a, b) => a + b, 0);
    }
    jobs.push(...groups.values());
  }

  const shortfall: Shortfall[] = [];
  for (const service of desired.services) {
    const pool = observed.available.get(service);
    if (pool === undefined) continue;
    const needed =
      [...(work.get('assign')?.get(service)?.values() ?? [])].reduce((a, b) => a + b, 0) +
      [...(work.get('autolicense-enable')?.get(service)?.values() ?? [])].reduce((a, b) => a + b, 0);
    const freed = [...(work.get('unassign')?.get(service)?.values() ?? [])].reduce((a, b) => a + b, 0);
    if (needed > pool + freed) {
      shortfall.push({ service, needed, available: pool + freed, short: needed - pool - freed });
    }
  }

  const reasons: string[] = [];
  if (undecidedCounts) reasons.push(observed.countsUnknown ?? 'per-tenant device counts are unknown');
  if (undecidedAuto) reasons.push('some auto-licensing answers could not be read');
  return {
    jobs,
    drift,
    shortfall,
    ...(reasons.length ? { undecided: { customers: undecided, reason: reasons.join('; ') } } : {}),
    inSync: drift.length === 0 && reasons.length === 0,
  };
}

// plan's state reading, the pure part: which customers need an auto-licensing answer (and which of
// those the cache answers), what the reading costs in API calls (said before it is spent), and the
// customers grouped by the services their rules name (one measured scope per group). No I/O.
import type { CustomerRef } from '../../core/customers.js';
import type { Desired } from '../../policy/resolve.js';
import { type AutoLicenseCache, freshSetting } from '../shared/autolicense.js';

/** Calls left untouched today by plan unless --yes (a report must not empty the day's budget). */
export const DAY_RESERVE = 50;

export interface ReadCost {
  /** Customers whose rules have an opinion on auto-licensing. */
  needAuto: string[];
  /** Of those, the ones the cache does not answer (fresh within its TTL, unless --refresh). */
  autoToFetch: string[];
  /** One MSP-wide stats call per service the policy names. */
  mspWide: number;
  /** One per covered customer and service. */
  perTenant: number;
  calls: number;
}

export function readCost(
  desired: Pick<Desired, 'wants' | 'services'>,
  cache: AutoLicenseCache,
  now: number,
  refresh = false,
): ReadCost {
  const needAuto = [...desired.wants]
    .filter(([, wants]) => [...wants.values()].some((w) => w.auto !== undefined))
    .map(([id]) => id);
  const autoToFetch = needAuto.filter((id) => !freshSetting(cache, id, now, refresh));
  const perTenant = [...desired.wants.values()].reduce((sum, w) => sum + w.size, 0);
  const mspWide = desired.services.length;
  return { needAuto, autoToFetch, mspWide, perTenant, calls: mspWide + perTenant + autoToFetch.length };
}

/** Whether the reading would dip into the day's reserve (it then needs --yes). */
export const overBudget = (calls: number, dayRemaining: number | undefined): boolean =>
  dayRemaining !== undefined && calls > dayRemaining - DAY_RESERVE;

/** Covered customers keyed by the sorted services their rules name (`a,b`), in the policy's order. */
export function byServiceSet(desired: Pick<Desired, 'wants' | 'customers'>): Map<string, CustomerRef[]> {
  const groups = new Map<string, CustomerRef[]>();
  for (const [id, wants] of desired.wants) {
    const key = [...wants.keys()].sort().join(',');
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(desired.customers.get(id) as CustomerRef);
  }
  return groups;
}

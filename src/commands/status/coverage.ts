// status, the pure part: coverage rows from device counts, the last job from the history's events,
// the auto-licensing lines from the cached answers. No I/O.
import type { StoredEvent } from '../../config/history.js';
import type { AutoLicenseCache, PauseCache } from '../shared/autolicense.js';

export interface CoverageRow {
  service: string;
  licensed: number;
  eligible: number;
  /** Eligible devices without the license. */
  missing: number;
  /** Whole percent of eligible devices licensed, rounded down (100 only when complete). */
  percent: number;
}

export interface LastJob {
  id: string;
  time: string;
  verb: string;
  services: string[];
  outcome?: string;
  requests?: number;
}

export interface AutoLicenseLine {
  service: string;
  mspDefault: boolean | null;
  paused: boolean | null;
  ageMs: number;
}

/** Whole percent licensed, rounded down; nothing eligible is complete. */
export const percentLicensed = (licensed: number, eligible: number): number =>
  eligible === 0 ? 100 : Math.floor((Math.min(licensed, eligible) / eligible) * 100);

/** Devices holding the service (`used`) and devices lacking it (`non_subscribed_devices`). */
export const coverageRow = (service: string, c: { licensed: number; unlicensed: number }): CoverageRow => ({
  service,
  licensed: c.licensed,
  eligible: c.licensed + c.unlicensed,
  missing: c.unlicensed,
  percent: percentLicensed(c.licensed, c.licensed + c.unlicensed),
});

/** The newest event of this profile on this gateway, as the job it records. */
export function lastJobOf(
  events: StoredEvent[],
  profile: string | undefined,
  gateway: string,
): LastJob | undefined {
  const e = [...events].reverse().find((r) => (r.profile ?? undefined) === profile && r.gateway === gateway);
  if (!e) return undefined;
  return {
    id: e.id,
    time: e.time,
    verb: e.verb,
    services: e.services,
    ...(e.event === 'result' && e.outcome !== undefined ? { outcome: e.outcome } : {}),
    ...(e.event === 'result' && e.requests ? { requests: e.requests.length } : {}),
  };
}

/**
 * Per service, the MSP default (from the MSP's cached answer) and the pause state, with the age
 * of the older of the two at `now`; a service with neither known has no line.
 */
export function autoLicenseLines(
  services: string[],
  msp: AutoLicenseCache[string] | undefined,
  pauses: PauseCache,
  now: number,
): AutoLicenseLine[] {
  return services.flatMap((service) => {
    const pause = pauses[service];
    if (!msp && !pause) return [];
    return [
      {
        service,
        mspDefault: msp?.services ? msp.services.includes(service) : null,
        paused: pause?.paused ?? null,
        ageMs: now - Math.min(msp?.fetchedAt ?? now, pause?.fetchedAt ?? now),
      },
    ];
  });
}

/** A bar of `width` cells, filled to `percent`. */
export function bar(percent: number, width = 16): string {
  const filled = Math.min(width, Math.round((percent / 100) * width));
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

// Progress of a license job, inferred from the MSP-wide stats (there is no job-status endpoint).
// The job only touches devices in scope, so the fall of what is left to do MSP-wide since the job
// was sent is the job's progress: for assign, devices without the license
// (`non_subscribed_devices`); for unassign, licenses consumed (`used`). Pure.
import { count } from './text.js';

export type Verb = 'assign' | 'unassign';

export interface ServiceTarget {
  service: string;
  /** Devices in scope the job has to change; undefined when unknown. */
  needed: number | undefined;
  /** Whether `needed` is exact, or only an upper bound (it may count devices the job skips). */
  neededExact: boolean;
  /** MSP-wide what is left to do when the job was sent (assign: unlicensed devices; unassign: licenses used). */
  startRemaining: number;
}

export interface PollSample {
  service: string;
  /** MSP-wide what is left to do now (same measure as `startRemaining`). */
  remaining: number;
  licensesAvailable?: number;
}

export interface ServiceProgress {
  service: string;
  done: number;
  needed?: number;
  neededExact: boolean;
  licensesAvailable?: number;
  /** Assign only: devices known to be left but no license left for them. */
  blocked: boolean;
  complete: boolean;
}

export interface Progress {
  done: number;
  needed?: number;
  /** Whether every `needed` is exact (else the figures are upper bounds or unknown). */
  exact: boolean;
  percent?: number;
  services: ServiceProgress[];
  complete: boolean;
  /** Not complete, and nothing left can progress (every unfinished service is out of licenses). */
  blocked: boolean;
  /** Assign: some unfinished service has no license left (whether that blocks the scope may be unknown). */
  outOfLicenses: boolean;
}

export function evaluateProgress(verb: Verb, targets: ServiceTarget[], samples: PollSample[]): Progress {
  const services = targets.map((target): ServiceProgress => {
    const sample = samples.find((s) => s.service === target.service);
    const now = sample?.remaining ?? target.startRemaining;
    const fall = Math.max(0, target.startRemaining - now);
    const done = target.needed === undefined ? fall : Math.min(fall, target.needed);
    // Done when the (exact or upper-bound) need is met, or nothing is left to do anywhere.
    const complete = (target.needed !== undefined && done >= target.needed) || now === 0;
    const blocked = verb === 'assign' && !complete && target.neededExact && sample?.licensesAvailable === 0;
    return {
      service: target.service,
      done,
      ...(target.needed === undefined ? {} : { needed: target.needed }),
      neededExact: target.neededExact && target.needed !== undefined,
      ...(sample?.licensesAvailable === undefined ? {} : { licensesAvailable: sample.licensesAvailable }),
      blocked,
      complete,
    };
  });
  const known = services.every((s) => s.needed !== undefined);
  const done = services.reduce((n, s) => n + s.done, 0);
  const needed = known ? services.reduce((n, s) => n + (s.needed ?? 0), 0) : undefined;
  const complete = services.every((s) => s.complete);
  const blocked = !complete && services.every((s) => s.complete || s.blocked);
  const outOfLicenses = verb === 'assign' && services.some((s) => !s.complete && s.licensesAvailable === 0);
  return {
    done,
    ...(needed === undefined
      ? {}
      : { needed, percent: needed === 0 || complete ? 100 : Math.floor((done / needed) * 100) }),
    exact: services.every((s) => s.neededExact),
    services,
    complete,
    blocked,
    outOfLicenses,
  };
}

export function formatProgress(progress: Pick<Progress, 'done' | 'needed' | 'percent' | 'exact'>): string {
  const n = count;
  if (progress.needed === undefined) return `${n(progress.done)} devices changed so far`;
  const atMost = progress.exact === false ? 'at most ' : '';
  return `${n(progress.done)} / ${atMost}${n(progress.needed)} devices, ${progress.percent}%`;
}

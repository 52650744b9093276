// Progress of a license job, inferred from the tenant-wide stats (there is no job-status
// endpoint). The job only touches devices in scope, so the change in the tenant-wide count of
// devices holding a service since the job started is the job's progress. Pure.

export type Verb = 'assign' | 'unassign';

export interface ServiceTarget {
  service: string;
  /** Devices in scope the job has to change; undefined when the in-scope share was too costly to know. */
  needed: number | undefined;
  /** Tenant-wide devices holding the service when the job was sent. */
  startSubscribed: number;
}

export interface PollSample {
  service: string;
  subscribed: number;
  licenseAvailable?: number;
}

export interface ServiceProgress {
  service: string;
  done: number;
  needed?: number;
  licenseAvailable?: number;
  /** Assign only: devices left but no license left for them. */
  blocked: boolean;
  complete: boolean;
}

export interface Progress {
  done: number;
  needed?: number;
  percent?: number;
  services: ServiceProgress[];
  complete: boolean;
  /** Not complete, and nothing left can progress (every unfinished service is out of licenses). */
  blocked: boolean;
}

export function evaluateProgress(verb: Verb, targets: ServiceTarget[], samples: PollSample[]): Progress {
  const services = targets.map((target): ServiceProgress => {
    const sample = samples.find((s) => s.service === target.service);
    const now = sample?.subscribed ?? target.startSubscribed;
    const raw = verb === 'assign' ? now - target.startSubscribed : target.startSubscribed - now;
    const done = Math.max(0, target.needed === undefined ? raw : Math.min(raw, target.needed));
    const complete = target.needed !== undefined && done >= target.needed;
    const blocked = verb === 'assign' && !complete && sample?.licenseAvailable === 0;
    return {
      service: target.service,
      done,
      ...(target.needed === undefined ? {} : { needed: target.needed }),
      ...(sample?.licenseAvailable === undefined ? {} : { licenseAvailable: sample.licenseAvailable }),
      blocked,
      complete,
    };
  });
  const known = services.every((s) => s.needed !== undefined);
  const done = services.reduce((n, s) => n + s.done, 0);
  const needed = known ? services.reduce((n, s) => n + (s.needed ?? 0), 0) : undefined;
  const complete = services.every((s) => s.complete);
  const blocked = !complete && services.every((s) => s.complete || s.blocked);
  return {
    done,
    ...(needed === undefined
      ? {}
      : { needed, percent: needed === 0 ? 100 : Math.floor((done / needed) * 100) }),
    services,
    complete,
    blocked,
  };
}

export function formatProgress(progress: Progress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (progress.needed === undefined) return `${n(progress.done)} devices changed so far`;
  return `${n(progress.done)} / ${n(progress.needed)} devices, ${progress.percent}%`;
}

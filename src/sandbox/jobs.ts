// The MSP license job: licenses (or un-licenses) devices in the background at a fixed speed,
// in small ticks, skipping devices whose service has run out of licenses.

import type { Device, Estate } from './estate.js';
import { eligibleServices } from './services.js';

export type JobVerb = 'assign' | 'unassign';

export interface JobInfo {
  id: number;
  verb: JobVerb;
  services: string[];
  status: 'running' | 'done';
  /** Devices changed so far. */
  processed: number;
  /** Devices left without a service of this job because its licenses ran out. */
  skippedNoLicense: number;
  customers: number;
  startedAt: number;
  finishedAt?: number;
}

interface Job extends JobInfo {
  customerIds: string[];
  ci: number;
  di: number;
  budget: number;
  last: number;
}

const TICK_MS = 50;
const MAX_SCAN_PER_TICK = 50_000;

export class JobEngine {
  private readonly jobs: Job[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(
    private readonly estate: Estate,
    private readonly speed: number,
  ) {}

  start(verb: JobVerb, services: string[], customerIds: string[]): JobInfo {
    const now = performance.now();
    const job: Job = {
      id: this.nextId++,
      verb,
      services: [...services],
      status: 'running',
      processed: 0,
      skippedNoLicense: 0,
      customers: customerIds.length,
      startedAt: Date.now(),
      customerIds,
      ci: 0,
      di: 0,
      budget: 0,
      last: now,
    };
    this.jobs.push(job);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
    return publicView(job);
  }

  list(): JobInfo[] {
    return this.jobs.map(publicView);
  }

  get running(): number {
    return this.jobs.filter((j) => j.status === 'running').length;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs one tick now (the timer calls it; tests may too). */
  tick(): void {
    const now = performance.now();
    for (const job of this.jobs) {
      if (job.status !== 'running') continue;
      // Capped at one second's worth so that a long scan never turns into a later burst.
      job.budget = Math.min(job.budget + ((now - job.last) / 1000) * this.speed, Math.max(1, this.speed));
      job.last = now;
      this.advance(job);
    }
    if (this.running === 0) this.close();
  }

  private advance(job: Job): void {
    let scanned = 0;
    while (job.budget >= 1 && scanned < MAX_SCAN_PER_TICK) {
      const device = this.next(job);
      if (!device) {
        job.status = 'done';
        job.finishedAt = Date.now();
        job.budget = 0;
        return;
      }
      scanned++;
      let changed = false;
      let skipped = false;
      for (const service of job.services) {
        if (job.verb === 'unassign') {
          if (this.estate.revoke(device, service)) changed = true;
          continue;
        }
        if (device.services.includes(service) || !eligibleServices(device).includes(service)) continue;
        if (this.estate.grant(device, service)) changed = true;
        else skipped = true;
      }
      if (changed) {
        job.processed++;
        job.budget -= 1;
      }
      if (skipped) job.skippedNoLicense++;
    }
  }

  private next(job: Job): Device | undefined {
    while (job.ci < job.customerIds.length) {
      const list = this.estate.devicesByCustomer.get(job.customerIds[job.ci] as string) ?? [];
      if (job.di < list.length) return list[job.di++];
      job.ci++;
      job.di = 0;
    }
    return undefined;
  }
}

function publicView(job: Job): JobInfo {
  const { id, verb, services, status, processed, skippedNoLicense, customers, startedAt, finishedAt } = job;
  const view: JobInfo = { id, verb, services, status, processed, skippedNoLicense, customers, startedAt };
  if (finishedAt !== undefined) view.finishedAt = finishedAt;
  return view;
}

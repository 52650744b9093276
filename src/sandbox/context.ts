// What every route handler gets: the request, parsed, and the sandbox's state.

import type { IncomingMessage } from 'node:http';
import type { AuthStore } from './auth.js';
import type { AutoLicensing } from './autolicense.js';
import type { Estate } from './estate.js';
import type { Faults } from './faults.js';
import type { ParsedBody } from './http.js';
import type { JobEngine } from './jobs.js';
import type { RequestLog } from './log.js';
import type { RateLimiter } from './rate-limit.js';
import type { Variants } from './variants.js';

export interface Settings {
  maxPageSize: number;
  maxIdsPerRequest: number;
  servicesWrapped: boolean;
  variants: Variants;
  /** License-job requests answered 409 so far (the job-conflict variant). */
  conflictsServed: number;
}

/** What `doctor --record` writes (see src/core/anonymize.ts). */
export interface ReplayFile {
  exchanges: Array<{
    method: string;
    path: string;
    query: Record<string, string>;
    tenant?: string;
    status: number;
    body: unknown;
  }>;
}

export interface World {
  estate: Estate;
  auth: AuthStore;
  jobs: JobEngine;
  autolicense: AutoLicensing;
  limiter: RateLimiter;
  faults: Faults;
  log: RequestLog;
  settings: Settings;
  replay?: ReplayFile;
}

export interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  body: ParsedBody;
  rawBody: string;
  world: World;
}

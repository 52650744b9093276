// What every route handler gets: the request, parsed, and the sandbox's state.

import type { IncomingMessage } from 'node:http';
import type { AuthStore } from './auth.js';
import type { Estate } from './estate.js';
import type { Faults } from './faults.js';
import type { ParsedBody } from './http.js';
import type { JobEngine } from './jobs.js';
import type { RequestLog } from './log.js';
import type { RateLimiter } from './rate-limit.js';

export interface Settings {
  maxPageSize: number;
  maxIdsPerRequest: number;
  servicesV2: boolean;
  servicesWrapped: boolean;
}

export interface World {
  estate: Estate;
  auth: AuthStore;
  jobs: JobEngine;
  limiter: RateLimiter;
  faults: Faults;
  log: RequestLog;
  settings: Settings;
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

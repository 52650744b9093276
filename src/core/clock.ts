// Time as a run sees it: what a license job's wait and its 409 back-off read and sleep on. The
// system clock in every run; tests hand a Context a virtual one, so a 10-minute stall or a
// 30-minute timeout is decided in milliseconds without changing the code that decides it.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects (AbortError) when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
};

// Client-side rate limiting: Central allows 7 calls per second and a daily budget; one governor is
// shared by every request of a process so that concurrent paging never exceeds the limit.

export interface GovernorOptions {
  /** Request starts allowed in any sliding 1000 ms window (default 7). */
  perSecond?: number;
  /** Extra wait on top of the window, for clock and network jitter (default 30 ms). */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const WINDOW_MS = 1000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function header(headers: Record<string, string | string[] | undefined>, name: string): number | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text.trim() === '') return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

interface Slot {
  /** When the response (or the failure) came back; undefined while in flight. */
  end?: number;
  done: Promise<void>;
}

/**
 * At most `perSecond` requests in any sliding window of 1000 ms, as the server sees them. The
 * server counts arrivals, which happen somewhere between our start and the answer; a cold
 * connection (DNS, TLS) can delay the arrival of one request while a warm one behind it arrives
 * at once. So a slot is reusable only 1000 ms + margin after the request that held it was
 * answered: whatever the latencies, the 8th arrival is then ≥ 1000 ms after the 1st. On a
 * fast link that is the plain sliding window of starts; on a slow one it trades a little
 * throughput for never drawing a 429.
 */
export class RateGovernor {
  readonly perSecond: number;
  readonly marginMs: number;
  /** From the last `X-RateLimit-Remaining-day` seen. */
  dayRemaining?: number;
  /** From the last `X-RateLimit-Limit-day` seen. */
  dayLimit?: number;

  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The last `perSecond` requests, oldest at `next`. */
  private readonly slots: Array<Slot | undefined>;
  private next = 0;
  private holdUntil = 0;
  /**
   * What the server said is left of the current second (`X-RateLimit-Remaining-second`), less
   * what we had in flight then: other processes (a cron job beside this one, the previous command
   * of a script) spend the same per-second budget, and only the server sees them.
   */
  private allowance = Number.POSITIVE_INFINITY;
  private allowanceUntil = 0;
  /** Callers queue on this chain so that slots are handed out in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: GovernorOptions = {}) {
    this.perSecond = Math.max(1, Math.floor(options.perSecond ?? 7));
    this.marginMs = options.marginMs ?? 30;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.slots = new Array<Slot | undefined>(this.perSecond).fill(undefined);
  }

  /**
   * Resolves when a request may start; call the returned function once the answer (or the
   * failure) is back. Every acquire must be released, or its slot stays busy.
   */
  acquire(): Promise<() => void> {
    const turn = this.queue.then(() => this.take());
    // A failing sleep must not wedge the queue for everyone after it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<() => void> {
    for (;;) {
      const oldest = this.slots[this.next];
      if (oldest && oldest.end === undefined) {
        await oldest.done;
        continue;
      }
      const now = this.now();
      const spent = now < this.allowanceUntil && this.allowance <= 0;
      const readyAt = Math.max(
        oldest?.end === undefined ? Number.NEGATIVE_INFINITY : oldest.end + WINDOW_MS + this.marginMs,
        this.holdUntil,
        spent ? this.allowanceUntil : Number.NEGATIVE_INFINITY,
      );
      if (readyAt <= now) {
        if (now < this.allowanceUntil) this.allowance--;
        let resolve: () => void = () => undefined;
        const slot: Slot = { done: new Promise<void>((r) => (resolve = r)) };
        this.slots[this.next] = slot;
        this.next = (this.next + 1) % this.perSecond;
        return () => {
          if (slot.end !== undefined) return;
          slot.end = this.now();
          resolve();
        };
      }
      await this.sleep(readyAt - now);
    }
  }

  /** Feed the rate-limit headers of a response. */
  observe(headers: Record<string, string | string[] | undefined>): void {
    const second = header(headers, 'x-ratelimit-remaining-second');
    if (second !== undefined) {
      const now = this.now();
      const secondEnds = Math.ceil((now + 1) / WINDOW_MS) * WINDOW_MS + this.marginMs;
      if (second <= 0) this.holdUntil = Math.max(this.holdUntil, secondEnds);
      // Requests of ours still in flight may reach the server after it counted this answer.
      const inFlight = this.slots.filter((slot) => slot && slot.end === undefined).length;
      this.allowance = second - inFlight;
      this.allowanceUntil = secondEnds;
    }
    const remaining = header(headers, 'x-ratelimit-remaining-day');
    if (remaining !== undefined) this.dayRemaining = remaining;
    const limit = header(headers, 'x-ratelimit-limit-day');
    if (limit !== undefined) this.dayLimit = limit;
  }

  /** Hold every new start for `ms` (after a 429: everyone slows down, not just the one request). */
  pause(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, this.now() + ms);
  }
}

let shared: RateGovernor | undefined;

/** The process-wide governor (created on first use with the given rate). */
export function sharedGovernor(perSecond?: number): RateGovernor {
  shared ??= new RateGovernor({ perSecond });
  return shared;
}

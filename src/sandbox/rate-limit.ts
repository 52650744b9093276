// Central's gateway limits: calls per calendar second and per (UTC) day.

export interface RateLimitOptions {
  perSecond?: number;
  perDay?: number;
  enforce?: boolean;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private second = -1;
  private inSecond = 0;
  private day = '';
  private inDay = 0;
  readonly perSecond: number;
  readonly perDay: number;
  readonly enforce: boolean;

  constructor(options: RateLimitOptions = {}) {
    this.perSecond = options.perSecond ?? 7;
    this.perDay = options.perDay ?? 5000;
    this.enforce = options.enforce ?? true;
  }

  /** Counts one call (only admitted calls use up the budget) and returns the headers to send. */
  take(now = Date.now()): RateDecision {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.inSecond = 0;
    }
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.inDay = 0;
    }
    const over = this.inSecond >= this.perSecond || this.inDay >= this.perDay;
    const allowed = !(over && this.enforce);
    if (allowed) {
      this.inSecond++;
      this.inDay++;
    }
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit-day': String(this.perDay),
        'X-RateLimit-Remaining-day': String(Math.max(0, this.perDay - this.inDay)),
        'X-RateLimit-Limit-second': String(this.perSecond),
        'X-RateLimit-Remaining-second': String(Math.max(0, this.perSecond - this.inSecond)),
      },
    };
  }
}

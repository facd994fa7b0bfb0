/** What one spend of a key's budget granted, and when the budget frees up again. */
export interface Spend {
  /** Units granted, from 0 to the units asked for (a batch may get part of what it asked). */
  readonly granted: number;
  /** Units counted in the window after this spend. */
  readonly used: number;
  /** Milliseconds until one more unit is free: 0 while units remain. */
  readonly retryAfterMs: number;
  /** Milliseconds until the oldest counted unit leaves the window (0 when none is counted). */
  readonly resetMs: number;
}

/**
 * An exact sliding-window log in memory: a key may spend at most `limit` units in any window of
 * `windowMs`, because every granted unit is remembered with its time until it leaves the window.
 * Refused units are not remembered, so a flood does not extend its own refusal.
 */
export class SlidingWindowLog {
  private readonly logs = new Map<string, number[]>();

  spend(key: string, limit: number, units: number, now: number, windowMs: number): Spend {
    const log = this.prune(key, now, windowMs);
    const granted = Math.max(0, Math.min(units, limit - log.length));
    for (let unit = 0; unit < granted; unit++) {
      log.push(now);
    }
    if (log.length === 0) {
      this.logs.delete(key);
    } else {
      this.logs.set(key, log);
    }
    // The unit that must leave the window before one more fits: the oldest beyond `limit - 1`.
    const blocking = log.length >= limit ? log[log.length - limit] : undefined;
    const oldest = log[0];
    return {
      granted,
      used: log.length,
      retryAfterMs: blocking === undefined ? 0 : Math.max(1, blocking + windowMs - now),
      resetMs: oldest === undefined ? 0 : Math.max(1, oldest + windowMs - now),
    };
  }

  /** Drops what left the window; keys with nothing left are forgotten, so memory follows activity. */
  private prune(key: string, now: number, windowMs: number): number[] {
    const log = this.logs.get(key) ?? [];
    let expired = 0;
    while (expired < log.length && (log[expired] ?? Infinity) <= now - windowMs) {
      expired++;
    }
    return expired === 0 ? log : log.slice(expired);
  }

  /** Forgets every key whose units all left the window. */
  sweep(now: number, windowMs: number): void {
    for (const [key, log] of this.logs) {
      const newest = log.at(-1);
      if (newest === undefined || newest <= now - windowMs) {
        this.logs.delete(key);
      }
    }
  }
}

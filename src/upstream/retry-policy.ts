export interface RetrySettings {
  readonly baseDelayMs: number;
  /** The longest Retry-After honoured; a longer one ends the retries. */
  readonly retryAfterCapMs: number;
}

/** Retry-After as milliseconds, from delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(header.trim())) {
    return Number(header.trim()) * 1000;
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (1 for the first): the server's Retry-After when
 * it gave one within the cap; else exponential backoff from the base, plus up to 20 % jitter.
 * Undefined when the server asked for longer than the cap, which ends the retries.
 */
export function retryDelayMs(retry: number, retryAfter: number | undefined, settings: RetrySettings, random: () => number = Math.random): number | undefined {
  if (retryAfter !== undefined) {
    return retryAfter <= settings.retryAfterCapMs ? retryAfter : undefined;
  }
  const backoff = settings.baseDelayMs * 2 ** (retry - 1);
  return backoff + Math.floor(random() * backoff * 0.2);
}

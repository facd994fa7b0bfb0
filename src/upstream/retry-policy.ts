import type { AxiosError } from 'axios';

export interface RetrySettings {
  readonly baseDelayMs: number;
  /** The longest Retry-After honoured; a longer one ends the retries. */
  readonly retryAfterCapMs: number;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);
const RETRYABLE_STATUSES = new Set([408, 429]);

export function isTimeout(error: AxiosError): boolean {
  return error.code !== undefined && TIMEOUT_CODES.has(error.code);
}

export function isCanceled(error: AxiosError): boolean {
  return error.code === 'ERR_CANCELED';
}

/** An answer larger than API_MAX_RESPONSE_BYTES, cut off while it arrived. */
export function isOversized(error: AxiosError): boolean {
  return error.code === 'ERR_BAD_RESPONSE' && error.message.startsWith('maxContentLength');
}

/** Network errors, timeouts, 5xx, 408 and 429 are worth another try; other answers are final. */
export function isRetryable(error: AxiosError): boolean {
  if (isCanceled(error) || isOversized(error)) {
    return false;
  }
  const status = error.response?.status;
  if (status === undefined) {
    return true;
  }
  return status >= 500 || RETRYABLE_STATUSES.has(status);
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

function retryAfterOf(error: AxiosError): number | undefined {
  return retryAfterMs(error.response?.headers['retry-after']);
}

/** Whether to try again: a retryable failure whose Retry-After, if any, is within the cap. */
export function shouldRetry(error: AxiosError, settings: RetrySettings): boolean {
  const retryAfter = retryAfterOf(error);
  return isRetryable(error) && (retryAfter === undefined || retryAfter <= settings.retryAfterCapMs);
}

/** The server's Retry-After when it gave one; else exponential backoff from the base, plus up to 20 % jitter. */
export function retryDelayMs(attempt: number, error: AxiosError, settings: RetrySettings, random: () => number = Math.random): number {
  const retryAfter = retryAfterOf(error);
  if (retryAfter !== undefined) {
    return retryAfter;
  }
  const backoff = settings.baseDelayMs * 2 ** (attempt - 1);
  return backoff + Math.floor(random() * backoff * 0.2);
}

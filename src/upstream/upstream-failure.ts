import { type AxiosResponse, isAxiosError } from 'axios';

import { ErrorCode } from '../common/errors/error-code';
import { retryAfterMs } from './retry-policy';

/**
 * One failed attempt at squad-api, described by what happened and never by the library's
 * error object (which carries the request config, headers and the service token).
 */
export interface AttemptFailure {
  /** What the caller is told when this is the last attempt. */
  readonly code: ErrorCode;
  /** What happened: `network`, `timeout`, `deadline`, `body_aborted`, `body_too_large`, `invalid_body` or `status_<code>`. */
  readonly reason: string;
  /** The socket error code of a network failure (`ECONNREFUSED`, `ECONNRESET`, …). */
  readonly errno?: string;
  readonly upstreamStatus: number | undefined;
  /** Whether SPEC §8 allows another attempt: network errors, timeouts, 5xx, 408 and 429. */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

function failure(code: ErrorCode, reason: string, retryable: boolean, upstreamStatus?: number, retryAfter?: number): AttemptFailure {
  return { code, reason, retryable, upstreamStatus, retryAfterMs: retryAfter };
}

/** The `status_code` label of `api_errors_total`: the HTTP status when squad-api answered one, else the reason. */
export function metricLabelOf(attempt: AttemptFailure): string {
  return attempt.reason.startsWith('status_') ? String(attempt.upstreamStatus) : attempt.reason;
}

/** Classifies a rejected request: the connection or the body failed, or the call ran out of time. */
export function failureOfError(error: unknown, deadlineReached: boolean): AttemptFailure {
  if (deadlineReached) {
    return failure(ErrorCode.UpstreamTimeout, 'deadline', false);
  }
  if (!isAxiosError(error)) {
    return failure(ErrorCode.UpstreamUnavailable, 'network', true);
  }
  if (error.code !== undefined && TIMEOUT_CODES.has(error.code)) {
    return failure(ErrorCode.UpstreamTimeout, 'timeout', true);
  }
  const status = error.response?.status;
  // An answer over API_MAX_RESPONSE_BYTES, cut off while it arrived (axios may not attach the response).
  if (error.code === 'ERR_BAD_RESPONSE' && error.message.startsWith('maxContentLength')) {
    return failure(ErrorCode.UpstreamInvalid, 'body_too_large', false, status);
  }
  if (status !== undefined) {
    // Headers arrived but the body did not: cut off or reset.
    return failure(ErrorCode.UpstreamUnavailable, 'body_aborted', true, status);
  }
  return { ...failure(ErrorCode.UpstreamUnavailable, 'network', true), errno: error.code };
}

/**
 * Classifies an answer that arrived whole. Undefined means it is usable: a JSON object or
 * array with 200, or a 404 (the caller's not_found).
 */
export function failureOfResponse(response: AxiosResponse<unknown>): AttemptFailure | undefined {
  const { status, data } = response;
  if (status === 404) {
    return undefined;
  }
  if (status >= 200 && status < 300) {
    return status === 200 && typeof data === 'object' && data !== null ? undefined : failure(ErrorCode.UpstreamInvalid, 'invalid_body', false, status);
  }
  const reason = `status_${status}`;
  if (status >= 500 || status === 408 || status === 429) {
    return failure(ErrorCode.UpstreamUnavailable, reason, true, status, retryAfterMs(response.headers['retry-after']));
  }
  // squad-api refuses our token: unusable until an operator fixes it.
  if (status === 401 || status === 403) {
    return failure(ErrorCode.UpstreamUnavailable, reason, false, status);
  }
  // Redirects and other 4xx answers are outside squad-api's contract for these requests.
  return failure(ErrorCode.UpstreamInvalid, reason, false, status);
}

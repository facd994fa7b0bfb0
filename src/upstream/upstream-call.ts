import type { Span } from '@opentelemetry/api';
import type { InternalAxiosRequestConfig } from 'axios';

import type { Admission } from './circuit-breaker';
import type { AttemptFailure } from './upstream-failure';

/**
 * One call to squad-api across its attempts: what the interceptors and the retry hooks share.
 * It travels on the request config, which axios-retry re-sends for each retry; axios copies
 * plain-object options on every request but keeps class instances, so all attempts see this one.
 */
export class UpstreamCall {
  readonly started = performance.now();
  readonly deadline: AbortSignal;
  /** Aborts at the deadline or when the tool call's caller leaves: the attempt, its retries and its wait for a slot stop. */
  readonly signal: AbortSignal;
  attempt = 0;
  /** The breaker's admission, the queue slot and the trace span of the attempt under way. */
  running: { readonly admission: Admission; readonly release: () => void; readonly span: Span | undefined } | undefined;
  /** How the last attempt failed, and the pause it earned before the next one. */
  failure: AttemptFailure | undefined;
  retryDelayMs = 0;

  constructor(
    readonly path: string,
    deadlineMs: number,
    /** The tool call's signal: aborted when its caller left. */
    readonly cancellation: AbortSignal,
  ) {
    this.deadline = AbortSignal.timeout(deadlineMs);
    this.signal = AbortSignal.any([this.deadline, cancellation]);
  }
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** The squad-api call this request is an attempt of. */
    upstreamCall?: UpstreamCall;
  }
}

/** The call a request on the squad-api client belongs to; every such request carries one. */
export function callOf(config: InternalAxiosRequestConfig | undefined): UpstreamCall {
  if (config?.upstreamCall === undefined) {
    throw new Error('squad-api request sent without its call');
  }
  return config.upstreamCall;
}

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { CallSlots, QueueFullError } from './call-slots';
import { type Admission, BreakerState, CircuitBreaker } from './circuit-breaker';
import { retryDelayMs, type RetrySettings } from './retry-policy';
import { UpstreamContractError } from './squad-api.contract';
import { type AttemptFailure, failureOfError, failureOfResponse, metricLabelOf } from './upstream-failure';

const RETRY_AFTER_CAP_MS = 30_000;
// A half-open probe that takes longer than this finds squad-api not back yet; a short probe
// bounds recovery to the cool-down plus this, even when the previous probe hung.
const PROBE_TIMEOUT_MS = 2_000;

/** What reaches the log and the error's cause: a description of the failure, never a library object. */
/** Refuses the calls waiting for a connection when the breaker opens: they would only fail later. */
class BreakerOpened extends Error {}

class UpstreamFailure extends Error {
  constructor(failure: AttemptFailure | { reason: string }, attempt: number) {
    super(`squad-api ${failure.reason} on attempt ${attempt}`);
    this.name = 'UpstreamFailure';
  }
}

/**
 * The one HTTP client for squad-api: a keep-alive pool bound to API_BASE_URL's origin, the
 * service token, the caller's request and user ids forwarded, retries with backoff on transient
 * failures within a total deadline per call, a bounded queue for the pool's connections, and a
 * circuit breaker over attempts that fails fast while squad-api keeps failing.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly logger = new Logger('Upstream');
  private readonly client: AxiosInstance;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  // Health probes get their own connection, so they never wait behind tool calls.
  private readonly probeAgents: { http: HttpAgent; https: HttpsAgent };
  private readonly breaker: CircuitBreaker;
  private readonly slots: CallSlots;
  private readonly retry: RetrySettings;
  private readonly api: AppConfig['api'];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const { api } = config;
    if (api.baseUrl === undefined) {
      throw new Error('API_BASE_URL is not set');
    }
    this.api = api;
    const agentOptions = { keepAlive: true, maxSockets: api.maxConnections };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
    this.probeAgents = { http: new HttpAgent({ keepAlive: true, maxSockets: 1 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 1 }) };
    this.client = axios.create({
      baseURL: new URL(api.baseUrl).origin,
      timeout: api.timeoutMs,
      maxRedirects: 0,
      maxContentLength: api.maxResponseBytes,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      responseType: 'json',
      // Every answer resolves; failureOfResponse decides what it means.
      validateStatus: () => true,
      headers: api.serviceAuthToken === undefined ? {} : { Authorization: `Bearer ${api.serviceAuthToken}` },
    });
    this.retry = { baseDelayMs: api.retryBaseDelayMs, retryAfterCapMs: RETRY_AFTER_CAP_MS };
    this.slots = new CallSlots(api.maxConnections, api.maxQueue);
    this.breaker = new CircuitBreaker({
      failures: api.breakerFailures,
      cooldownMs: api.breakerCooldownMs,
      onStateChange: (state) => {
        if (state === BreakerState.Open) {
          this.slots.refuseWaiting(new BreakerOpened());
        }
        this.metrics.upstreamBreakerState(state);
        this.logger.warn({ event: 'upstream_breaker', state: BreakerState[state].toLowerCase() }, `squad-api circuit breaker ${BreakerState[state].toLowerCase()}`);
      },
    });
    this.metrics.upstreamBreakerState(this.breaker.state);
  }

  /**
   * GETs a JSON resource and parses it with `parse` (the resource's contract); path segments are
   * encoded here so no caller can leave the origin. Resolves `undefined` for a 404.
   */
  async getJson<T>(segments: readonly (string | number)[], parse: (body: unknown) => T): Promise<T | undefined> {
    const path = '/' + segments.map((segment) => encodeURIComponent(String(segment))).join('/');
    const response = await this.call(path);
    return response.status === 404 ? undefined : this.parsed(response.data, parse);
  }

  /** squad-api answered, but not as its contract says: contract drift that operators must see. */
  private parsed<T>(body: unknown, parse: (body: unknown) => T): T {
    try {
      return parse(body);
    } catch (error) {
      if (!(error instanceof UpstreamContractError)) {
        throw error;
      }
      this.metrics.dependencyError('upstream', 'invalid_body');
      this.logger.warn({ event: 'upstream_contract_violation', resource: error.resource, problem: error.problem }, error.message);
      throw new AppError(ErrorCode.UpstreamInvalid, undefined, { cause: error });
    }
  }

  /** One GET of squad-api's health path on its own connection, without retries, queue or breaker. */
  async ping(): Promise<void> {
    let response: AxiosResponse<unknown>;
    try {
      response = await this.client.get(this.api.healthPath, { httpAgent: this.probeAgents.http, httpsAgent: this.probeAgents.https });
    } catch (error) {
      throw new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: new UpstreamFailure(failureOfError(error, false), 1) });
    }
    if (response.status !== 200 || failureOfResponse(response) !== undefined) {
      throw new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: new UpstreamFailure({ reason: `status_${response.status}` }, 1) });
    }
  }

  /** Attempts until a usable answer, a final failure, the deadline, or the breaker says stop. */
  private async call(path: string): Promise<AxiosResponse<unknown>> {
    const started = performance.now();
    const deadline = AbortSignal.timeout(this.api.deadlineMs);
    for (let attempt = 1; ; attempt += 1) {
      const admission = this.breaker.admit();
      if (admission === undefined) {
        throw this.refused('circuit_open', attempt);
      }
      const release = await this.slot(admission, deadline, attempt);
      let failure: AttemptFailure | undefined;
      try {
        const response = await this.client.get<unknown>(path, {
          headers: this.forwardedHeaders(),
          signal: deadline,
          timeout: admission.probe ? Math.min(this.api.timeoutMs, PROBE_TIMEOUT_MS) : this.api.timeoutMs,
        });
        failure = failureOfResponse(response);
        if (failure === undefined) {
          this.breaker.succeeded(admission);
          return response;
        }
      } catch (error) {
        failure = failureOfError(error, deadline.aborted);
      } finally {
        release();
      }
      this.breaker.failed(admission);
      const delay = this.retryDelay(failure, attempt, started);
      this.attemptFailed(path, failure, attempt, started, delay !== undefined);
      if (delay === undefined) {
        throw new AppError(failure.code, undefined, { cause: new UpstreamFailure(failure, attempt) });
      }
      await sleep(delay, undefined, { signal: deadline }).catch(() => undefined);
      if (deadline.aborted) {
        throw new AppError(ErrorCode.UpstreamTimeout, undefined, { cause: new UpstreamFailure({ reason: 'deadline' }, attempt) });
      }
    }
  }

  /** A slot in the bounded queue; the breaker is asked again if the wait let it open. */
  private async slot(admission: Admission, deadline: AbortSignal, attempt: number): Promise<() => void> {
    let release: () => void;
    try {
      release = await this.slots.acquire(deadline);
    } catch (error) {
      this.breaker.abandoned(admission);
      if (error instanceof QueueFullError) {
        throw this.refused('queue_full', attempt);
      }
      if (error instanceof BreakerOpened) {
        throw this.refused('circuit_open', attempt);
      }
      throw new AppError(ErrorCode.UpstreamTimeout, undefined, { cause: new UpstreamFailure({ reason: 'deadline' }, attempt) });
    }
    if (!admission.probe && this.breaker.state !== BreakerState.Closed) {
      release();
      throw this.refused('circuit_open', attempt);
    }
    return release;
  }

  /** The pause before another attempt, or undefined when this failure is final. */
  private retryDelay(failure: AttemptFailure, attempt: number, started: number): number | undefined {
    if (!failure.retryable || attempt > this.api.maxRetries || this.breaker.state !== BreakerState.Closed) {
      return undefined;
    }
    const delay = retryDelayMs(attempt, failure.retryAfterMs, this.retry);
    // A retry that could not start before the deadline only delays the answer.
    if (delay === undefined || performance.now() - started + delay >= this.api.deadlineMs) {
      return undefined;
    }
    return delay;
  }

  private refused(reason: 'circuit_open' | 'queue_full', attempt: number): AppError {
    this.metrics.dependencyError('upstream', reason);
    if (reason === 'queue_full') {
      this.logger.warn({ event: 'upstream_refused', reason, queued: this.slots.queued }, 'squad-api queue full: call refused');
    }
    return new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: new UpstreamFailure({ reason }, attempt) });
  }

  private attemptFailed(path: string, failure: AttemptFailure, attempt: number, started: number, retrying: boolean): void {
    this.metrics.dependencyError('upstream', metricLabelOf(failure));
    this.logger.warn(
      {
        event: 'upstream_attempt_failed',
        path,
        code: failure.code,
        reason: failure.reason,
        errno: failure.errno,
        upstream_status: failure.upstreamStatus ?? null,
        attempt,
        elapsed_ms: Math.round(performance.now() - started),
        retrying,
      },
      `squad-api attempt ${attempt} failed: ${failure.reason}`,
    );
  }

  private forwardedHeaders(): Record<string, string> {
    const context = currentRequestContext();
    if (context === undefined) {
      return {};
    }
    return { 'X-Request-ID': context.requestId, ...(context.userId === undefined ? {} : { 'X-User-ID': context.userId }) };
  }

  onModuleDestroy(): void {
    for (const agent of [this.agents.http, this.agents.https, this.probeAgents.http, this.probeAgents.https]) {
      agent.destroy();
    }
  }
}

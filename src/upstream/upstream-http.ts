import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse, type CreateAxiosDefaults, type InternalAxiosRequestConfig, isAxiosError } from 'axios';
import axiosRetry from 'axios-retry';

import { cancelledError, currentCallSignal, throwIfCancelled } from '../common/cancellation/call-signal';
import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { UpstreamSpans } from '../observability/tracing/upstream-spans';
import { CallSlots, QueueFullError } from './call-slots';
import { type Admission, BreakerState, CircuitBreaker } from './circuit-breaker';
import { retryDelayMs, type RetrySettings } from './retry-policy';
import { UpstreamContractError } from './squad-api.contract';
import { callOf, UpstreamCall } from './upstream-call';
import { type AttemptFailure, failureOfError, failureOfResponse, metricLabelOf } from './upstream-failure';

const RETRY_AFTER_CAP_MS = 30_000;
/** How an attempt ends when the tool call's caller left. */
const CANCELLED: AttemptFailure = { code: ErrorCode.Cancelled, reason: 'cancelled', upstreamStatus: undefined, retryable: false, retryAfterMs: undefined };
// A half-open probe that takes longer than this finds squad-api not back yet; a short probe
// bounds recovery to the cool-down plus this, even when the previous probe hung.
const PROBE_TIMEOUT_MS = 2_000;

/** Refuses the calls waiting for a connection when the breaker opens: they would only fail later. */
class BreakerOpened extends Error {}

/** What reaches the log and the error's cause: a description of the failure, never a library object. */
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
 * circuit breaker over attempts that fails fast while squad-api keeps failing. A call whose
 * caller left (the tool call's signal) stops at once: its request is aborted, its retry pause and
 * its wait for a slot end, and the breaker does not count it.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly logger = new Logger('Upstream');
  private readonly client: AxiosInstance;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  // Health probes get their own client and connection, so they never wait behind tool calls.
  private readonly probeClient: AxiosInstance;
  private readonly probeAgents: { http: HttpAgent; https: HttpsAgent };
  private readonly breaker: CircuitBreaker;
  private readonly slots: CallSlots;
  private readonly retry: RetrySettings;
  private readonly api: AppConfig['api'];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
    private readonly spans: UpstreamSpans,
  ) {
    const { api } = config;
    if (api.baseUrl === undefined) {
      throw new Error('API_BASE_URL is not set');
    }
    this.api = api;
    const agentOptions = { keepAlive: true, maxSockets: api.maxConnections };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
    this.probeAgents = { http: new HttpAgent({ keepAlive: true, maxSockets: 1 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 1 }) };
    const defaults: CreateAxiosDefaults = {
      baseURL: new URL(api.baseUrl).origin,
      timeout: api.timeoutMs,
      maxRedirects: 0,
      maxContentLength: api.maxResponseBytes,
      responseType: 'json',
      // Every answer resolves; failureOfResponse decides what it means.
      validateStatus: () => true,
      headers: api.serviceAuthToken === undefined ? {} : { Authorization: `Bearer ${api.serviceAuthToken}` },
    };
    this.client = axios.create({ ...defaults, httpAgent: this.agents.http, httpsAgent: this.agents.https });
    this.probeClient = axios.create({ ...defaults, httpAgent: this.probeAgents.http, httpsAgent: this.probeAgents.https });
    // Every attempt, retries included, passes through these: admitted by the breaker and given a
    // queue slot before it is sent, then recorded, freed and classified when it ends.
    this.client.interceptors.request.use((request) => this.attemptStarting(request));
    this.client.interceptors.response.use(
      (response) => this.attemptAnswered(response),
      (error: unknown) => this.attemptRejected(error),
    );
    // Installed after them, so it sees each failure already classified; its retries re-enter them.
    axiosRetry(this.client, {
      retries: api.maxRetries,
      // Each attempt gets its full timeout (attemptStarting sets it); the deadline bounds the call.
      shouldResetTimeout: true,
      retryCondition: (error) => this.earnsRetry(callOf(error.config)),
      retryDelay: (_retry, error) => callOf(error.config).retryDelayMs,
      onRetry: (_retry, error) => {
        this.attemptFailed(callOf(error.config), true);
      },
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
      response = await this.probeClient.get(this.api.healthPath);
    } catch (error) {
      throw new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: new UpstreamFailure(failureOfError(error, false), 1) });
    }
    if (response.status !== 200 || failureOfResponse(response) !== undefined) {
      throw new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: new UpstreamFailure({ reason: `status_${response.status}` }, 1) });
    }
  }

  /**
   * Resolves with the first usable answer; axios-retry repeats the attempts. Rejects with the
   * last attempt's failure, or at once when the breaker, the queue or the deadline refuses one.
   */
  private async call(path: string): Promise<AxiosResponse<unknown>> {
    const call = new UpstreamCall(path, this.api.deadlineMs, currentCallSignal());
    try {
      return await this.client.get<unknown>(path, { headers: this.forwardedHeaders(), signal: call.signal, upstreamCall: call });
    } catch (error) {
      if (call.cancellation.aborted) {
        // The caller left: nothing to report about squad-api, and nobody to answer.
        if (call.running !== undefined) {
          this.attemptEnded(call, CANCELLED);
        }
        throw cancelledError();
      }
      if (error instanceof AppError) {
        throw error;
      }
      if (call.running !== undefined) {
        // Only an error that lost its request config gets past the interceptors with its attempt running.
        this.attemptEnded(call, failureOfError(error, call.deadline.aborted));
      }
      const failure = call.failure;
      if (failure === undefined) {
        throw error;
      }
      this.attemptFailed(call, false);
      throw new AppError(failure.code, undefined, { cause: new UpstreamFailure(failure, call.attempt) });
    }
  }

  /** Request interceptor: the breaker's admission and a queue slot for the attempt about to be sent. */
  private async attemptStarting(request: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
    const call = callOf(request);
    // A retry whose pause the caller's leaving cut short.
    throwIfCancelled(call.cancellation);
    if (call.deadline.aborted) {
      // The deadline passed during the pause before this retry.
      throw new AppError(ErrorCode.UpstreamTimeout, undefined, { cause: new UpstreamFailure({ reason: 'deadline' }, call.attempt) });
    }
    call.attempt += 1;
    const admission = this.breaker.admit();
    if (admission === undefined) {
      throw this.refused('circuit_open', call.attempt);
    }
    const release = await this.slot(admission, call, call.attempt);
    const span = this.spans.attemptStarted('GET', new URL(request.url ?? '', request.baseURL), call.attempt, request.headers);
    call.running = { admission, release, span };
    request.timeout = admission.probe ? Math.min(this.api.timeoutMs, PROBE_TIMEOUT_MS) : this.api.timeoutMs;
    return request;
  }

  /** Response interceptor: a usable answer resolves; any other is this attempt's failure. */
  private attemptAnswered(response: AxiosResponse<unknown>): AxiosResponse<unknown> {
    const call = callOf(response.config);
    const failure = failureOfResponse(response);
    if (failure === undefined) {
      this.attemptEnded(call, undefined, response.status);
      return response;
    }
    this.attemptEnded(call, failure);
    throw new AxiosError(`squad-api ${failure.reason}`, AxiosError.ERR_BAD_RESPONSE, response.config, response.request, response);
  }

  /** Response interceptor: the connection or the body failed; refusals pass through untouched. */
  private attemptRejected(error: unknown): never {
    const call = isAxiosError(error) ? error.config?.upstreamCall : undefined;
    if (call?.running !== undefined) {
      this.attemptEnded(call, call.cancellation.aborted ? CANCELLED : failureOfError(error, call.deadline.aborted));
    }
    throw error;
  }

  /** Frees the attempt's slot, ends its span and tells the breaker how it went. */
  private attemptEnded(call: UpstreamCall, failure: AttemptFailure | undefined, status?: number): void {
    const running = call.running;
    if (running === undefined) {
      return;
    }
    call.running = undefined;
    call.failure = failure;
    this.spans.attemptEnded(running.span, { status: status ?? failure?.upstreamStatus, failure: failure?.reason });
    if (failure === undefined) {
      this.breaker.succeeded(running.admission);
      running.release();
      return;
    }
    if (failure === CANCELLED) {
      // Says nothing about squad-api's health: neither a success nor a failure for the breaker.
      running.release();
      this.breaker.abandoned(running.admission);
      return;
    }
    running.release();
    this.breaker.failed(running.admission);
  }

  /** A slot in the bounded queue; the breaker is asked again if the wait let it open. */
  private async slot(admission: Admission, call: UpstreamCall, attempt: number): Promise<() => void> {
    let release: () => void;
    try {
      release = await this.slots.acquire(call.signal);
    } catch (error) {
      this.breaker.abandoned(admission);
      throwIfCancelled(call.cancellation);
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

  /**
   * axios-retry's condition, asked only while retries remain: whether the failed attempt earns
   * another, keeping the pause for its retryDelay.
   */
  private earnsRetry(call: UpstreamCall): boolean {
    const failure = call.failure;
    if (failure === undefined || !failure.retryable || this.breaker.state !== BreakerState.Closed) {
      return false;
    }
    const delay = retryDelayMs(call.attempt, failure.retryAfterMs, this.retry);
    // A retry that could not start before the deadline only delays the answer.
    if (delay === undefined || performance.now() - call.started + delay >= this.api.deadlineMs) {
      return false;
    }
    call.retryDelayMs = delay;
    return true;
  }

  private refused(reason: 'circuit_open' | 'queue_full', attempt: number): AppError {
    this.metrics.dependencyError('upstream', reason);
    if (reason === 'queue_full') {
      this.logger.warn({ event: 'upstream_refused', reason, queued: this.slots.queued }, 'squad-api queue full: call refused');
    }
    return new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: new UpstreamFailure({ reason }, attempt) });
  }

  private attemptFailed(call: UpstreamCall, retrying: boolean): void {
    const failure = call.failure;
    if (failure === undefined) {
      return;
    }
    this.metrics.dependencyError('upstream', metricLabelOf(failure));
    this.logger.warn(
      {
        event: 'upstream_attempt_failed',
        path: call.path,
        code: failure.code,
        reason: failure.reason,
        errno: failure.errno,
        upstream_status: failure.upstreamStatus ?? null,
        attempt: call.attempt,
        elapsed_ms: Math.round(performance.now() - call.started),
        retrying,
      },
      `squad-api attempt ${call.attempt} failed: ${failure.reason}`,
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

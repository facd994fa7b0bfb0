import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import axios, { type AxiosError, type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import axiosRetry from 'axios-retry';
import { BrokenCircuitError, circuitBreaker, type CircuitBreakerPolicy, ConsecutiveBreaker, handleWhen } from 'cockatiel';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { isCanceled, isOversized, isRetryable, isTimeout, retryDelayMs, shouldRetry } from './retry-policy';
import { UpstreamContractError } from './squad-api.contract';

const RETRY_AFTER_CAP_MS = 30_000;
const BREAKER_FAILURES = new Set<ErrorCode>([ErrorCode.UpstreamUnavailable, ErrorCode.UpstreamTimeout]);

/** The `status_code` label of a squad-api failure that has no HTTP status. */
function failureLabel(error: AxiosError): string {
  return isOversized(error) ? 'invalid' : isTimeout(error) ? 'timeout' : 'network';
}

/**
 * The one HTTP client for squad-api: a keep-alive pool bound to API_BASE_URL's origin, the
 * service token, the caller's request and user ids forwarded, retries with backoff on transient
 * failures, a total deadline per call, and a circuit breaker that fails fast while squad-api
 * keeps failing and lets one call probe it again after a cool-down.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly client: AxiosInstance;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  private readonly breaker: CircuitBreakerPolicy;
  private readonly healthPath: string;
  private readonly deadlineMs: number;
  private readonly maxResponseBytes: number;
  private readonly logger = new Logger('Upstream');

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const { api } = config;
    if (api.baseUrl === undefined) {
      throw new Error('API_BASE_URL is not set');
    }
    this.healthPath = api.healthPath;
    this.deadlineMs = api.deadlineMs;
    this.maxResponseBytes = api.maxResponseBytes;
    const agentOptions = { keepAlive: true, maxSockets: api.maxConnections };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
    this.client = axios.create({
      baseURL: new URL(api.baseUrl).origin,
      timeout: api.timeoutMs,
      maxRedirects: 0,
      maxContentLength: api.maxResponseBytes,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      // Statuses worth a retry reject, so the retry policy sees them; every other answer resolves.
      validateStatus: (status) => status < 500 && status !== 408 && status !== 429,
      headers: api.serviceAuthToken === undefined ? {} : { Authorization: `Bearer ${api.serviceAuthToken}` },
    });
    this.client.interceptors.response.use(undefined, (error: unknown) => {
      if (isAxiosError(error) && !isCanceled(error)) {
        const status = error.response?.status;
        this.metrics.dependencyError('upstream', status === undefined ? failureLabel(error) : String(status));
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    });
    const settings = { baseDelayMs: api.retryBaseDelayMs, retryAfterCapMs: RETRY_AFTER_CAP_MS };
    axiosRetry(this.client, {
      retries: api.maxRetries,
      shouldResetTimeout: true,
      retryCondition: (error) => shouldRetry(error, settings),
      retryDelay: (attempt, error) => retryDelayMs(attempt, error, settings),
    });
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof AppError && BREAKER_FAILURES.has(error.code)),
      { halfOpenAfter: api.breakerCooldownMs, breaker: new ConsecutiveBreaker(api.breakerFailures) },
    );
    this.breaker.onStateChange((state) => {
      this.metrics.upstreamBreakerState(state);
    });
    this.metrics.upstreamBreakerState(this.breaker.state);
  }

  /**
   * GETs a JSON resource and parses it with `parse` (the resource's contract); path segments are
   * encoded here so no caller can leave the origin. Resolves `undefined` for a 404.
   */
  async getJson<T>(segments: readonly (string | number)[], parse: (body: unknown) => T): Promise<T | undefined> {
    const path = '/' + segments.map((segment) => encodeURIComponent(String(segment))).join('/');
    let body: unknown;
    try {
      body = await this.breaker.execute(() => this.get<unknown>(path, true));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        this.metrics.dependencyError('upstream', 'circuit_open');
        throw new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: error });
      }
      throw error;
    }
    return body === undefined ? undefined : this.parsed(body, parse);
  }

  /** squad-api answered, but not as its contract says: contract drift that operators must see. */
  private parsed<T>(body: unknown, parse: (body: unknown) => T): T {
    try {
      return parse(body);
    } catch (error) {
      if (!(error instanceof UpstreamContractError)) {
        throw error;
      }
      this.metrics.dependencyError('upstream', 'invalid');
      this.logger.warn({ event: 'upstream_contract_violation', resource: error.resource, problem: error.problem }, error.message);
      throw new AppError(ErrorCode.UpstreamInvalid, undefined, { cause: error });
    }
  }

  /** One GET of squad-api's health path, without retries or the breaker; resolves when it answers 200. */
  async ping(): Promise<void> {
    const body = await this.get<object>(this.healthPath, false);
    if (body === undefined) {
      throw new AppError(ErrorCode.UpstreamUnavailable);
    }
  }

  private async get<T>(path: string, retry: boolean): Promise<T | undefined> {
    let response: AxiosResponse<T>;
    try {
      response = await this.client.get<T>(path, {
        headers: this.forwardedHeaders(),
        responseType: 'json',
        signal: AbortSignal.timeout(this.deadlineMs),
        'axios-retry': retry ? {} : { retries: 0 },
      });
    } catch (error) {
      throw this.failure(error);
    }
    if (response.status === 404) {
      return undefined;
    }
    if (response.status === 200 && typeof response.data === 'object' && response.data !== null) {
      return response.data;
    }
    this.metrics.dependencyError('upstream', String(response.status));
    const cause = new Error(`squad-api answered ${response.status} for ${path}`);
    // Other 4xx answers mean our request broke the contract (a bug); anything else leaves squad-api unusable to us.
    const contractMismatch = response.status >= 400 && response.status !== 401 && response.status !== 403;
    const code = contractMismatch ? ErrorCode.Internal : ErrorCode.UpstreamUnavailable;
    throw new AppError(code, undefined, { cause });
  }

  private forwardedHeaders(): Record<string, string> {
    const context = currentRequestContext();
    if (context === undefined) {
      return {};
    }
    return { 'X-Request-ID': context.requestId, ...(context.userId === undefined ? {} : { 'X-User-ID': context.userId }) };
  }

  private failure(error: unknown): AppError {
    if (isAxiosError(error) && isOversized(error)) {
      this.logger.warn({ event: 'upstream_contract_violation', problem: `answer larger than ${this.maxResponseBytes} bytes` }, 'squad-api answer too large');
      return new AppError(ErrorCode.UpstreamInvalid, undefined, { cause: error });
    }
    if (isAxiosError(error) && (isCanceled(error) || isTimeout(error))) {
      return new AppError(ErrorCode.UpstreamTimeout, undefined, { cause: error });
    }
    if (isAxiosError(error) && !isRetryable(error)) {
      return new AppError(ErrorCode.Internal, undefined, { cause: error });
    }
    return new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: error });
  }

  onModuleDestroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

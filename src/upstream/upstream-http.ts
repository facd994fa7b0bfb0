import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import axios, { type AxiosInstance, isAxiosError } from 'axios';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

function isTimeout(error: unknown): boolean {
  return isAxiosError(error) && error.code !== undefined && TIMEOUT_CODES.has(error.code);
}

/**
 * The one HTTP client for squad-api: a keep-alive pool bound to API_BASE_URL's origin, the
 * service token, and the caller's request and user ids forwarded on every request.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly client: AxiosInstance;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  private readonly healthPath: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const { api } = config;
    this.healthPath = api.healthPath;
    if (api.baseUrl === undefined) {
      throw new Error('API_BASE_URL is not set');
    }
    const agentOptions = { keepAlive: true, maxSockets: api.maxConnections };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
    this.client = axios.create({
      baseURL: new URL(api.baseUrl).origin,
      timeout: api.timeoutMs,
      maxRedirects: 0,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      validateStatus: () => true,
      headers: api.serviceAuthToken === undefined ? {} : { Authorization: `Bearer ${api.serviceAuthToken}` },
    });
  }

  /**
   * GETs a JSON resource; path segments are encoded here so no caller can leave the origin.
   * Resolves `undefined` for a 404.
   */
  async getJson<T>(segments: readonly (string | number)[]): Promise<T | undefined> {
    return this.get<T>('/' + segments.map((segment) => encodeURIComponent(String(segment))).join('/'));
  }

  /** GETs squad-api's health path; resolves when it answers 200. */
  async ping(): Promise<void> {
    const body = await this.get<object>(this.healthPath);
    if (body === undefined) {
      throw new AppError(ErrorCode.UpstreamUnavailable);
    }
  }

  private async get<T>(path: string): Promise<T | undefined> {
    const context = currentRequestContext();
    const headers: Record<string, string> = {};
    if (context !== undefined) {
      headers['X-Request-ID'] = context.requestId;
      if (context.userId !== undefined) {
        headers['X-User-ID'] = context.userId;
      }
    }
    let response;
    try {
      response = await this.client.get<T>(path, { headers, responseType: 'json' });
    } catch (error) {
      const timedOut = isTimeout(error);
      this.metrics.dependencyError('upstream', timedOut ? 'timeout' : 'network');
      throw new AppError(timedOut ? ErrorCode.UpstreamTimeout : ErrorCode.UpstreamUnavailable, undefined, { cause: error });
    }
    if (response.status === 404) {
      return undefined;
    }
    if (response.status !== 200 || typeof response.data !== 'object' || response.data === null) {
      this.metrics.dependencyError('upstream', String(response.status));
      throw new AppError(ErrorCode.UpstreamUnavailable, undefined, {
        cause: new Error(`squad-api answered ${response.status} for ${path}`),
      });
    }
    return response.data;
  }

  onModuleDestroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import axios, { type AxiosInstance, isAxiosError } from 'axios';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

function toUpstreamError(error: unknown): AppError {
  if (isAxiosError(error) && error.code !== undefined && TIMEOUT_CODES.has(error.code)) {
    return new AppError(ErrorCode.UpstreamTimeout, undefined, { cause: error });
  }
  return new AppError(ErrorCode.UpstreamUnavailable, undefined, { cause: error });
}

/**
 * The one HTTP client for squad-api: a keep-alive pool bound to API_BASE_URL's origin, the
 * service token, and the caller's request and user ids forwarded on every request.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly client: AxiosInstance;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { api } = config;
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
    const path = '/' + segments.map((segment) => encodeURIComponent(String(segment))).join('/');
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
      throw toUpstreamError(error);
    }
    if (response.status === 404) {
      return undefined;
    }
    if (response.status !== 200 || typeof response.data !== 'object' || response.data === null) {
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

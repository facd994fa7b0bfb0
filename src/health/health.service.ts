import { getHeapStatistics } from 'node:v8';

import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { type RateLimitBackend, RateLimitStorage } from '../auth/rate-limit.storage';
import { type DatabaseState, ReadOnlyGateway } from '../database/read-only-gateway';
import { type DocumentSearchStatus, DocumentsService } from '../documents/documents.service';
import { UpstreamHttp } from '../upstream/upstream-http';

const CHECK_TIMEOUT_MS = 5000;
const MEMORY_WARNING_PERCENT = 80;

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

interface DependencyCheck {
  status: 'up' | 'down';
  latency_ms: number;
}

export interface HealthReport {
  status: OverallStatus;
  /** `saturated`: PostgreSQL answers, but calls found every pooled connection busy. */
  database: DatabaseState;
  upstream_api: 'responding' | 'unreachable';
  memory_usage_percent: number;
  timestamp: string;
  checks: {
    database: DependencyCheck & { state: DatabaseState };
    upstream_api: DependencyCheck;
    memory: { status: 'ok' | 'warning'; heap_used_bytes: number; heap_limit_bytes: number };
    rate_limiter: { status: 'ok' | 'degraded'; backend: RateLimitBackend };
    /** Present with ENABLE_RAG=true: which search mode and vector path serve search_documents. */
    documents?: DocumentSearchStatus;
  };
}

/**
 * Probes the dependencies (each with a 5 s timeout, on connections of their own so they never
 * queue behind tool calls) and the heap; never throws.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly gateway: ReadOnlyGateway,
    private readonly upstream: UpstreamHttp,
    private readonly rateLimits: RateLimitStorage,
    @Optional() private readonly documents?: DocumentsService,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, upstreamApi, documents] = await Promise.all([this.database(), this.upstreamApi(), this.documents?.status()]);
    const memory = this.memory();
    const backend = this.rateLimits.backend;
    const limiterDegraded = backend === 'memory_fallback';
    const status: OverallStatus =
      database.status === 'down'
        ? 'unhealthy'
        : database.state === 'saturated' || upstreamApi.status === 'down' || memory.status === 'warning' || limiterDegraded
          ? 'degraded'
          : 'healthy';
    return {
      status,
      database: database.state,
      upstream_api: upstreamApi.status === 'up' ? 'responding' : 'unreachable',
      memory_usage_percent: memory.percent,
      timestamp: new Date().toISOString(),
      checks: {
        database,
        upstream_api: upstreamApi,
        memory: { status: memory.status, heap_used_bytes: memory.used, heap_limit_bytes: memory.limit },
        rate_limiter: { status: limiterDegraded ? 'degraded' : 'ok', backend },
        ...(documents === undefined ? {} : { documents }),
      },
    };
  }

  /**
   * Readiness: this replica can serve, which only needs the database. squad-api's state shows
   * in the report instead: during its outage the SQL tools keep serving.
   */
  async ready(): Promise<{ ready: boolean; database: DependencyCheck }> {
    const database = await this.database();
    return { ready: database.status === 'up', database };
  }

  private async database(): Promise<DependencyCheck & { state: DatabaseState }> {
    let state: DatabaseState = 'disconnected';
    const check = await this.probe('database', async () => {
      state = await this.gateway.state();
      if (state === 'disconnected') {
        throw new Error('database unreachable');
      }
    });
    return { ...check, state: check.status === 'up' ? state : 'disconnected' };
  }

  private upstreamApi(): Promise<DependencyCheck> {
    return this.probe('upstream_api', () => this.upstream.ping());
  }

  private async probe(key: string, fn: () => Promise<void>): Promise<DependencyCheck> {
    const started = performance.now();
    const result = await this.indicators.check(key).attempt(fn).withTimeout(CHECK_TIMEOUT_MS);
    return { status: result[key]?.status === 'up' ? 'up' : 'down', latency_ms: Math.round(performance.now() - started) };
  }

  private memory(): { status: 'ok' | 'warning'; percent: number; used: number; limit: number } {
    const used = process.memoryUsage().heapUsed;
    const limit = getHeapStatistics().heap_size_limit;
    const percent = Math.round((used / limit) * 10_000) / 100;
    return { status: percent > MEMORY_WARNING_PERCENT ? 'warning' : 'ok', percent, used, limit };
  }
}

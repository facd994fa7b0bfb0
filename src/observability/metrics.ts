import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge, Histogram } from 'prom-client';

import { LATENCY_BUCKETS, METRIC } from './metric-names';

type Labels<T extends string> = readonly T[];

export interface PoolSample {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** The most client addresses the throttled-addresses gauge names; the rest are summed under `other`. */
export const MAX_NAMED_THROTTLED_ADDRESSES = 20;

// The throttled addresses are read when scraped too: an address leaves the gauge when its minute is over.
const throttledSamplers = new WeakMap<Gauge<'address'>, () => readonly string[]>();

function collectThrottledAddresses(this: Gauge<'address'>): void {
  const addresses = throttledSamplers.get(this)?.();
  if (addresses === undefined) {
    return;
  }
  this.reset();
  for (const address of addresses.slice(0, MAX_NAMED_THROTTLED_ADDRESSES)) {
    this.set({ address }, 1);
  }
  if (addresses.length > MAX_NAMED_THROTTLED_ADDRESSES) {
    this.set({ address: 'other' }, addresses.length - MAX_NAMED_THROTTLED_ADDRESSES);
  }
}

// Each pool gauge reads its pool when scraped, so it shows the queue as it is, not as it was at the last event.
const poolSamplers = new WeakMap<Gauge<'state'>, () => PoolSample>();

function collectPoolState(this: Gauge<'state'>): void {
  const sample = poolSamplers.get(this)?.();
  if (sample !== undefined) {
    this.set({ state: 'total' }, sample.total);
    this.set({ state: 'idle' }, sample.idle);
    this.set({ state: 'waiting' }, sample.waiting);
  }
}

const DEFINITIONS = {
  toolCalls: { name: METRIC.toolCalls, help: 'Tool calls by tool and outcome (ok or an error code)', labelNames: ['tool_name', 'status'] as Labels<'tool_name' | 'status'> },
  toolCallsCancelled: {
    name: METRIC.toolCallsCancelled,
    help: 'Tool calls stopped because the client closed its stream or connection before the answer, by tool',
    labelNames: ['tool_name'] as Labels<'tool_name'>,
  },
  toolCacheRequests: {
    name: METRIC.toolCacheRequests,
    help: 'Result-cache lookups of cacheable tools by tool and result (hit or miss)',
    labelNames: ['tool_name', 'result'] as Labels<'tool_name' | 'result'>,
  },
  documentSearchFallbacks: {
    name: METRIC.documentSearchFallbacks,
    help: 'search_documents answers given from keyword search alone because the embeddings endpoint failed, by reason',
    labelNames: ['reason'] as Labels<'reason'>,
  },
  toolDuration: { name: METRIC.toolDuration, help: 'Tool call latency in seconds', labelNames: ['tool_name'] as Labels<'tool_name'>, buckets: LATENCY_BUCKETS },
  httpRequests: {
    name: METRIC.httpRequests,
    help: 'HTTP requests by route template, method and status code',
    labelNames: ['endpoint', 'method', 'status_code'] as Labels<'endpoint' | 'method' | 'status_code'>,
  },
  apiErrors: {
    name: METRIC.apiErrors,
    help: 'Failed calls to dependencies by source (upstream or database) and status',
    labelNames: ['source', 'status_code'] as Labels<'source' | 'status_code'>,
  },
  dbQueryDuration: {
    name: METRIC.dbQueryDuration,
    help: 'Database query latency in seconds by query name',
    labelNames: ['query_name'] as Labels<'query_name'>,
    buckets: LATENCY_BUCKETS,
  },
  rateLimitHits: { name: METRIC.rateLimitHits, help: 'Requests refused by the rate limiter, by client', labelNames: ['client_id'] as Labels<'client_id'> },
  dbPool: {
    name: METRIC.dbPoolConnections,
    help: 'Database pool connections by state (total, idle, waiting: calls queued for a connection)',
    labelNames: ['state'] as Labels<'state'>,
    collect: collectPoolState,
  },
  documentsSkipped: {
    name: METRIC.documentsSkipped,
    help: 'Stored help center documents left out of an answer because a field is longer than the tools answer with, by tool',
    labelNames: ['tool_name'] as Labels<'tool_name'>,
  },
  authThrottled: {
    name: METRIC.authThrottledAddresses,
    help: `Client addresses refused for failed logins within the last minute on this instance: 1 each for up to ${MAX_NAMED_THROTTLED_ADDRESSES} of them, the count of the rest under address="other"`,
    labelNames: ['address'] as Labels<'address'>,
    collect: collectThrottledAddresses,
  },
  breaker: { name: METRIC.upstreamBreakerState, help: 'squad-api circuit breaker: 0 closed, 1 open, 2 half-open, 3 isolated', labelNames: [] as Labels<never> },
};

/** Registers every application metric with the Prometheus module (once per process). */
export const METRIC_PROVIDERS = [
  makeCounterProvider({ ...DEFINITIONS.toolCalls, labelNames: [...DEFINITIONS.toolCalls.labelNames] }),
  makeHistogramProvider({ ...DEFINITIONS.toolDuration, labelNames: [...DEFINITIONS.toolDuration.labelNames] }),
  makeCounterProvider({ ...DEFINITIONS.httpRequests, labelNames: [...DEFINITIONS.httpRequests.labelNames] }),
  makeCounterProvider({ ...DEFINITIONS.apiErrors, labelNames: [...DEFINITIONS.apiErrors.labelNames] }),
  makeHistogramProvider({ ...DEFINITIONS.dbQueryDuration, labelNames: [...DEFINITIONS.dbQueryDuration.labelNames] }),
  makeCounterProvider({ ...DEFINITIONS.rateLimitHits, labelNames: [...DEFINITIONS.rateLimitHits.labelNames] }),
  makeGaugeProvider({ ...DEFINITIONS.dbPool, labelNames: [...DEFINITIONS.dbPool.labelNames] }),
  makeGaugeProvider({ ...DEFINITIONS.breaker, labelNames: [] }),
  makeCounterProvider({ ...DEFINITIONS.toolCacheRequests, labelNames: [...DEFINITIONS.toolCacheRequests.labelNames] }),
  makeCounterProvider({ ...DEFINITIONS.documentSearchFallbacks, labelNames: [...DEFINITIONS.documentSearchFallbacks.labelNames] }),
  makeGaugeProvider({ ...DEFINITIONS.authThrottled, labelNames: [...DEFINITIONS.authThrottled.labelNames] }),
  makeCounterProvider({ ...DEFINITIONS.documentsSkipped, labelNames: [...DEFINITIONS.documentsSkipped.labelNames] }),
  makeCounterProvider({ ...DEFINITIONS.toolCallsCancelled, labelNames: [...DEFINITIONS.toolCallsCancelled.labelNames] }),
];

export type DependencySource = 'upstream' | 'database' | 'embeddings';

/** The one place the application records metrics; labels are bounded by construction. */
@Injectable()
export class Metrics {
  constructor(
    @InjectMetric(METRIC.toolCalls) private readonly toolCalls: Counter<'tool_name' | 'status'>,
    @InjectMetric(METRIC.toolDuration) private readonly toolDuration: Histogram<'tool_name'>,
    @InjectMetric(METRIC.httpRequests) private readonly httpRequests: Counter<'endpoint' | 'method' | 'status_code'>,
    @InjectMetric(METRIC.apiErrors) private readonly apiErrors: Counter<'source' | 'status_code'>,
    @InjectMetric(METRIC.dbQueryDuration) private readonly dbQueryDuration: Histogram<'query_name'>,
    @InjectMetric(METRIC.rateLimitHits) private readonly rateLimitHits: Counter<'client_id'>,
    @InjectMetric(METRIC.dbPoolConnections) private readonly dbPool: Gauge<'state'>,
    @InjectMetric(METRIC.upstreamBreakerState) private readonly breaker: Gauge,
    @InjectMetric(METRIC.toolCacheRequests) private readonly cacheRequests: Counter<'tool_name' | 'result'>,
    @InjectMetric(METRIC.documentSearchFallbacks) private readonly searchFallbacks: Counter<'reason'>,
    @InjectMetric(METRIC.authThrottledAddresses) private readonly authThrottled: Gauge<'address'>,
    @InjectMetric(METRIC.documentsSkipped) private readonly skippedDocuments: Counter<'tool_name'>,
    @InjectMetric(METRIC.toolCallsCancelled) private readonly toolCallsCancelled: Counter<'tool_name'>,
  ) {}

  /** Metrics registered nowhere, for a class used outside the application (scripts, unit tests). */
  static detached(): Metrics {
    const registers = { registers: [] };
    return new Metrics(
      new Counter({ ...DEFINITIONS.toolCalls, labelNames: [...DEFINITIONS.toolCalls.labelNames], ...registers }),
      new Histogram({ ...DEFINITIONS.toolDuration, labelNames: [...DEFINITIONS.toolDuration.labelNames], ...registers }),
      new Counter({ ...DEFINITIONS.httpRequests, labelNames: [...DEFINITIONS.httpRequests.labelNames], ...registers }),
      new Counter({ ...DEFINITIONS.apiErrors, labelNames: [...DEFINITIONS.apiErrors.labelNames], ...registers }),
      new Histogram({ ...DEFINITIONS.dbQueryDuration, labelNames: [...DEFINITIONS.dbQueryDuration.labelNames], ...registers }),
      new Counter({ ...DEFINITIONS.rateLimitHits, labelNames: [...DEFINITIONS.rateLimitHits.labelNames], ...registers }),
      new Gauge({ ...DEFINITIONS.dbPool, labelNames: [...DEFINITIONS.dbPool.labelNames], ...registers }),
      new Gauge({ ...DEFINITIONS.breaker, labelNames: [], ...registers }),
      new Counter({ ...DEFINITIONS.toolCacheRequests, labelNames: [...DEFINITIONS.toolCacheRequests.labelNames], ...registers }),
      new Counter({ ...DEFINITIONS.documentSearchFallbacks, labelNames: [...DEFINITIONS.documentSearchFallbacks.labelNames], ...registers }),
      new Gauge({ ...DEFINITIONS.authThrottled, labelNames: [...DEFINITIONS.authThrottled.labelNames], ...registers }),
      new Counter({ ...DEFINITIONS.documentsSkipped, labelNames: [...DEFINITIONS.documentsSkipped.labelNames], ...registers }),
      new Counter({ ...DEFINITIONS.toolCallsCancelled, labelNames: [...DEFINITIONS.toolCallsCancelled.labelNames], ...registers }),
    );
  }

  toolCall(toolName: string, status: string, seconds: number): void {
    this.toolCalls.inc({ tool_name: toolName, status });
    this.toolDuration.observe({ tool_name: toolName }, seconds);
  }

  /** A call whose client left before the answer; it is counted under `tool_calls_total{status="cancelled"}` too. */
  toolCallCancelled(toolName: string): void {
    this.toolCallsCancelled.inc({ tool_name: toolName });
  }

  httpRequest(endpoint: string, method: string, statusCode: number): void {
    this.httpRequests.inc({ endpoint, method, status_code: String(statusCode) });
  }

  dependencyError(source: DependencySource, statusCode: string): void {
    this.apiErrors.inc({ source, status_code: statusCode });
  }

  dbQuery(queryName: string, seconds: number): void {
    this.dbQueryDuration.observe({ query_name: queryName }, seconds);
  }

  cacheRequest(toolName: string, result: 'hit' | 'miss'): void {
    this.cacheRequests.inc({ tool_name: toolName, result });
  }

  /** A document search answered from keyword search alone; `reason` is the endpoint's failure. */
  documentSearchFallback(reason: string): void {
    this.searchFallbacks.inc({ reason });
  }

  /** Stored documents an answer left out because the output contract cannot carry them. */
  documentsSkipped(toolName: string, count: number): void {
    this.skippedDocuments.inc({ tool_name: toolName }, count);
  }

  rateLimitHit(clientId: string): void {
    this.rateLimitHits.inc({ client_id: clientId });
  }

  /** The breaker's BreakerState: 0 closed, 1 open, 2 half-open. */
  upstreamBreakerState(state: number): void {
    this.breaker.set(state);
  }

  /** Where the throttled-addresses gauge reads the addresses at every scrape, most recently refused first. */
  sampleThrottledAddresses(sampler: () => readonly string[]): void {
    throttledSamplers.set(this.authThrottled, sampler);
  }

  /** Where the pool gauges read their values at every scrape. */
  sampleDbPool(sampler: () => PoolSample): void {
    poolSamplers.set(this.dbPool, sampler);
  }
}

/** Metric names exactly as operators query them (SPEC §7). */
export const METRIC = {
  toolCalls: 'tool_calls_total',
  toolDuration: 'tool_duration_seconds',
  toolCallsCancelled: 'tool_calls_cancelled_total',
  httpRequests: 'http_requests_total',
  apiErrors: 'api_errors_total',
  dbQueryDuration: 'db_query_duration_seconds',
  rateLimitHits: 'rate_limit_hits_total',
  upstreamBreakerState: 'upstream_circuit_breaker_state',
  dbPoolConnections: 'db_pool_connections',
  toolCacheRequests: 'tool_cache_requests_total',
  documentSearchFallbacks: 'document_search_fallbacks_total',
  authThrottledAddresses: 'auth_throttled_addresses',
  documentsSkipped: 'documents_skipped_total',
} as const;

/** Latency buckets from 1 ms to 10 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

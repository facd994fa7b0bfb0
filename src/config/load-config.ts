import type { AppConfig, Environment, LogFormat, LogLevel, TraceSampler, TracingConfig } from './app-config';
import { type Env, EnvReader } from './env-reader';
import { readTokenSettings } from './token-settings';

/** Thrown when the environment is invalid; `problems` holds one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
  }
}

const ENVIRONMENTS: readonly Environment[] = ['development', 'staging', 'production'];
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const LOG_FORMATS: readonly LogFormat[] = ['auto', 'pretty', 'json'];
const TRACE_SAMPLERS: readonly TraceSampler[] = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
];
// The exporter installed speaks OTLP/HTTP with JSON bodies.
const OTLP_PROTOCOLS = ['http/json'] as const;

/** Tracing is on when an OTLP endpoint is set and OTEL_SDK_DISABLED is not true. */
function tracingConfig(read: EnvReader): TracingConfig | undefined {
  const endpoint = read.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const tracesEndpoint = read.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']);
  const metricsEndpoint = read.url('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', ['http:', 'https:']);
  read.oneOf('OTEL_EXPORTER_OTLP_PROTOCOL', OTLP_PROTOCOLS, 'http/json');
  const config = {
    headers: read.pairs('OTEL_EXPORTER_OTLP_HEADERS'),
    serviceName: read.text('OTEL_SERVICE_NAME') ?? 'squad-mcp',
    resourceAttributes: read.pairs('OTEL_RESOURCE_ATTRIBUTES'),
    sampler: read.oneOf('OTEL_TRACES_SAMPLER', TRACE_SAMPLERS, 'parentbased_always_on'),
    samplerRatio: read.ratio('OTEL_TRACES_SAMPLER_ARG', 1, 0, 1),
    exportDelayMs: read.int('OTEL_BSP_SCHEDULE_DELAY', 5000, 1, 600_000),
    metricExportIntervalMs: read.int('OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1, 3_600_000),
    captureContent: read.bool('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', false),
  };
  const disabled = read.bool('OTEL_SDK_DISABLED', false);
  const signalUrl = (path: string): string | undefined => (endpoint === undefined ? undefined : `${endpoint.replace(/\/+$/, '')}${path}`);
  const tracesUrl = tracesEndpoint ?? signalUrl('/v1/traces');
  return disabled || tracesUrl === undefined ? undefined : { ...config, tracesUrl, metricsUrl: metricsEndpoint ?? signalUrl('/v1/metrics') };
}

/** Validates the environment into an {@link AppConfig}; throws {@link ConfigError} listing every problem. */
export function loadConfig(env: Env): AppConfig {
  const read = new EnvReader(env);
  const environment = read.oneOf('ENVIRONMENT', ENVIRONMENTS, 'development');
  const config: AppConfig = {
    port: read.int('PORT', 8000, 0, 65535),
    host: read.text('HOST') ?? '127.0.0.1',
    environment,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, 'auto'),
    api: {
      baseUrl: read.url('API_BASE_URL', ['http:', 'https:']),
      timeoutMs: read.seconds('API_TIMEOUT_SECONDS', 5, 0.01, 300),
      maxRetries: read.int('API_MAX_RETRIES', 3, 0, 10),
      retryBaseDelayMs: read.int('API_RETRY_BASE_DELAY_MS', 2000, 0, 60_000),
      maxConnections: read.int('API_MAX_CONNECTIONS', 10, 1, 1000),
      maxQueue: read.int('API_MAX_QUEUE', 20, 0, 100_000),
      serviceAuthToken: read.text('SERVICE_AUTH_TOKEN'),
      healthPath: read.text('UPSTREAM_HEALTH_PATH') ?? '/api/health',
      maxResponseBytes: read.int('API_MAX_RESPONSE_BYTES', 1_048_576, 1024, 104_857_600),
      deadlineMs: 0,
      breakerFailures: read.int('API_BREAKER_FAILURES', 5, 1, 1000),
      breakerCooldownMs: read.seconds('API_BREAKER_COOLDOWN_SECONDS', 10, 0.01, 3600),
    },
    db: {
      url: read.url('DB_URL', ['postgres:', 'postgresql:']),
      poolSize: read.int('DB_POOL_SIZE', 5, 1, 500),
      poolMaxOverflow: read.int('DB_POOL_MAX_OVERFLOW', 10, 0, 500),
      poolRecycleSeconds: read.int('DB_POOL_RECYCLE_SECONDS', 3600, 1, 86_400),
      statementTimeoutMs: read.int('DB_STATEMENT_TIMEOUT_MS', 30_000, 1, 600_000),
      namedStatements: read.bool('DB_NAMED_STATEMENTS', true),
    },
    keys: {
      primary: read.secret('API_KEY_PRIMARY'),
      secondary: read.secret('API_KEY_SECONDARY'),
      admin: read.secret('ADMIN_API_KEY'),
      file: read.path('API_KEYS_FILE'),
    },
    tokens: readTokenSettings(read, environment),
    rateLimitRpm: read.int('RATE_LIMIT_RPM', 100, 1, 1_000_000),
    developmentKeyRateLimitRpm: read.int('DEV_KEY_RATE_LIMIT_RPM', 10_000, 1, 1_000_000),
    developmentKeyFile: read.path('DEV_KEY_FILE') ?? '.data/development-key',
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    rateLimitRedisTimeoutMs: read.int('RATE_LIMIT_REDIS_TIMEOUT_MS', 1000, 10, 60_000),
    maxResultBytes: read.int('MAX_RESULT_BYTES', 262_144, 4096, 16_777_216),
    resultCacheTtlMs: read.seconds('RESULT_CACHE_TTL_SECONDS', 15, 0, 3600),
    mcpDirectDispatch: read.bool('MCP_DIRECT_DISPATCH', true),
    authFailuresPerMinute: read.int('AUTH_FAILURES_PER_MINUTE', 30, 1, 100_000),
    authFailuresExemptCidrs: read.cidrs('AUTH_FAILURES_EXEMPT_CIDRS'),
    trustProxy: read.int('TRUST_PROXY', 0, 0, 10),
    enableRag: read.bool('ENABLE_RAG', false),
    embeddings: {
      url: read.url('EMBEDDINGS_URL', ['http:', 'https:']),
      model: read.text('EMBEDDINGS_MODEL') ?? 'text-embedding-3-small',
      apiKey: read.text('EMBEDDINGS_API_KEY'),
      dimensions: read.text('EMBEDDINGS_DIMENSIONS') === undefined ? undefined : read.int('EMBEDDINGS_DIMENSIONS', 0, 1, 16_000),
      timeoutMs: read.seconds('EMBEDDINGS_TIMEOUT_SECONDS', 5, 0.01, 300),
      maxRetries: read.int('EMBEDDINGS_MAX_RETRIES', 2, 0, 10),
    },
    corsOrigins: read.list('CORS_ORIGINS'),
    mcpAllowedHosts: read.list('MCP_ALLOWED_HOSTS'),
    mcpAllowedOrigins: read.list('MCP_ALLOWED_ORIGINS'),
    metricsAllowedCidrs: read.cidrs('METRICS_ALLOWED_CIDRS'),
    shutdownGraceMs: read.seconds('SHUTDOWN_GRACE_SECONDS', 20, 0, 600),
    shutdownAnnounceMs: read.seconds('SHUTDOWN_ANNOUNCE_SECONDS', 0, 0, 60),
    requestTimeoutMs: read.seconds('REQUEST_TIMEOUT_SECONDS', 30, 0.1, 600),
    unauthenticatedRequestTimeoutMs: read.seconds('UNAUTHENTICATED_REQUEST_TIMEOUT_SECONDS', 5, 0.1, 600),
    tracing: tracingConfig(read),
  };
  const deadlineMs = read.seconds('API_DEADLINE_SECONDS', (3 * config.api.timeoutMs) / 1000, 0.01, 3600);
  const complete: AppConfig = { ...config, api: { ...config.api, deadlineMs } };
  if (!config.api.healthPath.startsWith('/')) {
    read.problems.push('UPSTREAM_HEALTH_PATH: must start with "/"');
  }
  if (environment === 'production') {
    requireForProduction(config, read.problems);
  }
  if (read.problems.length > 0) {
    throw new ConfigError(read.problems);
  }
  return complete;
}

function requireForProduction(config: AppConfig, problems: string[]): void {
  if (config.logFormat === 'pretty') {
    problems.push('LOG_FORMAT: "pretty" is for development; production writes JSON lines (json or auto)');
  }
  if (config.db.url === undefined) {
    problems.push('DB_URL: required when ENVIRONMENT=production (nothing is embedded in production)');
  }
  if (config.api.baseUrl === undefined) {
    problems.push('API_BASE_URL: required when ENVIRONMENT=production (nothing is embedded in production)');
  }
  const { primary, secondary, admin, file } = config.keys;
  if (config.tokens === undefined && [primary, secondary, admin, file].every((key) => key === undefined)) {
    problems.push(
      'API_KEY_PRIMARY: at least one key (API_KEY_PRIMARY, API_KEY_SECONDARY, ADMIN_API_KEY or API_KEYS_FILE) or token verification (AUTH_JWKS_URL or AUTH_ISSUER) is required when ENVIRONMENT=production',
    );
  }
}

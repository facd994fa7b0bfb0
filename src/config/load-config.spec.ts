import { ConfigError, loadConfig } from './load-config';
import { ASYMMETRIC_ALGORITHMS } from './token-settings';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8000,
      host: '127.0.0.1',
      environment: 'development',
      logLevel: 'info',
      logFormat: 'auto',
      rateLimitRpm: 100,
      developmentKeyRateLimitRpm: 10_000,
      developmentKeyFile: '.data/development-key',
      rateLimitRedisTimeoutMs: 1000,
      resultCacheTtlMs: 15_000,
      enableRag: false,
      api: { baseUrl: undefined, timeoutMs: 5_000, maxRetries: 3, retryBaseDelayMs: 2000, maxConnections: 10, maxQueue: 20, healthPath: '/api/health', deadlineMs: 15_000, breakerFailures: 5, breakerCooldownMs: 10_000 },
      db: { url: undefined, poolSize: 5, poolMaxOverflow: 10, poolRecycleSeconds: 3600, statementTimeoutMs: 30_000, namedStatements: true },
    });
  });

  it('reads lists, booleans and URLs', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://a.example, https://b.example',
      ENABLE_RAG: 'true',
      DB_URL: 'postgres://u@db:5432/squad',
      REDIS_URL: 'redis://cache:6379',
      API_BASE_URL: 'https://api.example/base',
      ENVIRONMENT: 'Staging',
    });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.enableRag).toBe(true);
    expect(config.environment).toBe('staging');
    expect(config.db.url).toBe('postgres://u@db:5432/squad');
  });

  it('runs statements as named prepared statements unless DB_NAMED_STATEMENTS is false', () => {
    expect(loadConfig({}).db.namedStatements).toBe(true);
    expect(loadConfig({ DB_NAMED_STATEMENTS: 'false' }).db.namedStatements).toBe(false);
    expect(problemsOf({ DB_NAMED_STATEMENTS: 'sometimes' })).toEqual([expect.stringMatching(/^DB_NAMED_STATEMENTS: /)]);
  });

  it('reports one clear line per problem, naming the variable', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        DB_POOL_SIZE: '0',
        ENABLE_RAG: 'maybe',
        LOG_LEVEL: 'loud',
        DB_URL: 'mysql://x',
        API_BASE_URL: 'not a url',
        API_KEY_PRIMARY: 'short',
        UPSTREAM_HEALTH_PATH: 'health',
        METRICS_ALLOWED_CIDRS: '10.0.0.0/8, 10.0.0.0/40, nonsense',
      }),
    ).toEqual([
      'PORT: expected an integer, got "eighty"',
      'LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, got "loud"',
      'API_BASE_URL: not a valid URL',
      'DB_URL: must use postgres: or postgresql:, got "mysql:"',
      'DB_POOL_SIZE: must be between 1 and 500, got 0',
      'API_KEY_PRIMARY: must be at least 16 characters long',
      'ENABLE_RAG: expected true or false, got "maybe"',
      'METRICS_ALLOWED_CIDRS: "10.0.0.0/40" is not an IP address or CIDR range',
      'METRICS_ALLOWED_CIDRS: "nonsense" is not an IP address or CIDR range',
      'UPSTREAM_HEALTH_PATH: must start with "/"',
    ]);
  });

  it('reads the addresses exempt from the failed-login throttle as CIDR ranges, and refuses anything else', () => {
    expect(loadConfig({ AUTH_FAILURES_EXEMPT_CIDRS: '10.0.0.0/8, 2001:db8::/32, 192.0.2.7' }).authFailuresExemptCidrs).toEqual(['10.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
    expect(loadConfig({}).authFailuresExemptCidrs).toEqual([]);
    expect(problemsOf({ AUTH_FAILURES_EXEMPT_CIDRS: '10.0.0.0/33, office' })).toEqual([
      'AUTH_FAILURES_EXEMPT_CIDRS: "10.0.0.0/33" is not an IP address or CIDR range',
      'AUTH_FAILURES_EXEMPT_CIDRS: "office" is not an IP address or CIDR range',
    ]);
  });

  it('answers 2026-07-28 tool requests directly unless MCP_DIRECT_DISPATCH is false', () => {
    expect(loadConfig({}).mcpDirectDispatch).toBe(true);
    expect(loadConfig({ MCP_DIRECT_DISPATCH: 'false' }).mcpDirectDispatch).toBe(false);
    expect(problemsOf({ MCP_DIRECT_DISPATCH: 'sometimes' })).toHaveLength(1);
  });

  it('reads the result-cache TTL in seconds, 0 turning the cache off, and refuses a negative or unbounded one', () => {
    expect(loadConfig({ RESULT_CACHE_TTL_SECONDS: '0' }).resultCacheTtlMs).toBe(0);
    expect(loadConfig({ RESULT_CACHE_TTL_SECONDS: '2.5' }).resultCacheTtlMs).toBe(2500);
    expect(problemsOf({ RESULT_CACHE_TTL_SECONDS: '-1' })).toEqual(['RESULT_CACHE_TTL_SECONDS: expected a number of seconds, got "-1"']);
    expect(problemsOf({ RESULT_CACHE_TTL_SECONDS: '86400' })).toEqual(['RESULT_CACHE_TTL_SECONDS: must be between 0 and 3600 seconds, got 86400']);
  });

  it('refuses to embed anything in production', () => {
    expect(problemsOf({ ENVIRONMENT: 'production' })).toEqual([
      'DB_URL: required when ENVIRONMENT=production (nothing is embedded in production)',
      'API_BASE_URL: required when ENVIRONMENT=production (nothing is embedded in production)',
      expect.stringMatching(/^API_KEY_PRIMARY: at least one key/),
    ]);
    expect(
      problemsOf({
        ENVIRONMENT: 'production',
        DB_URL: 'postgres://u@db/squad',
        API_BASE_URL: 'https://api.example',
        API_KEY_PRIMARY: 'a-long-enough-key-123',
      }),
    ).toEqual([]);
  });

  it('refuses pretty logs in production and unknown log formats anywhere', () => {
    const production = { ENVIRONMENT: 'production', DB_URL: 'postgres://u@db/squad', API_BASE_URL: 'https://api.example', API_KEY_PRIMARY: 'a-long-enough-key-123' };
    expect(problemsOf({ ...production, LOG_FORMAT: 'pretty' })).toEqual([
      'LOG_FORMAT: "pretty" is for development; production writes JSON lines (json or auto)',
    ]);
    expect(problemsOf({ ...production, LOG_FORMAT: 'json' })).toEqual([]);
    expect(problemsOf({ LOG_FORMAT: 'colour' })).toEqual([expect.stringMatching(/^LOG_FORMAT: /)]);
    expect(loadConfig({ LOG_FORMAT: 'PRETTY', DEV_KEY_RATE_LIMIT_RPM: '50' })).toMatchObject({ logFormat: 'pretty', developmentKeyRateLimitRpm: 50 });
  });
});

const ISSUER = 'https://idp.example/realms/squad';

describe('token settings', () => {
  it('leaves tokens off when neither AUTH_JWKS_URL nor AUTH_ISSUER is set', () => {
    expect(loadConfig({}).tokens).toBeUndefined();
  });

  it('applies the documented defaults, taking the resource URL from an http(s) audience', () => {
    const { tokens } = loadConfig({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: 'https://squad-mcp.example/mcp' });
    expect(tokens).toEqual({
      jwksUrl: undefined,
      issuer: ISSUER,
      audience: 'https://squad-mcp.example/mcp',
      resourceUrl: 'https://squad-mcp.example/mcp',
      rolesClaim: 'roles',
      userClaim: 'sub',
      clockSkewSeconds: 30,
      algorithms: ASYMMETRIC_ALGORITHMS,
      jwksMaxAgeMs: 600_000,
      jwksCooldownMs: 5000,
      fetchTimeoutMs: 5_000,
    });
  });

  it('reads every setting', () => {
    const { tokens } = loadConfig({
      AUTH_JWKS_URL: 'https://idp.example/keys',
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: 'api://squad-mcp',
      AUTH_RESOURCE_URL: 'https://squad-mcp.example/',
      AUTH_ROLES_CLAIM: 'https://squad.example/roles',
      AUTH_USER_CLAIM: 'player_id',
      AUTH_CLOCK_SKEW_SECONDS: '0',
      AUTH_ALGORITHMS: 'RS256, ES256',
      AUTH_JWKS_MAX_AGE_SECONDS: '3600',
      AUTH_JWKS_COOLDOWN_SECONDS: '0',
      AUTH_FETCH_TIMEOUT_SECONDS: '2.5',
    });
    expect(tokens).toMatchObject({
      jwksUrl: 'https://idp.example/keys',
      audience: 'api://squad-mcp',
      resourceUrl: 'https://squad-mcp.example/',
      rolesClaim: 'https://squad.example/roles',
      userClaim: 'player_id',
      clockSkewSeconds: 0,
      algorithms: ['RS256', 'ES256'],
      jwksMaxAgeMs: 3_600_000,
      jwksCooldownMs: 0,
      fetchTimeoutMs: 2_500,
    });
  });

  it('demands the issuer and the audience once tokens are on', () => {
    expect(problemsOf({ AUTH_JWKS_URL: 'https://idp.example/keys' })).toEqual([
      'AUTH_ISSUER: required with AUTH_JWKS_URL (every token is checked against its issuer)',
      "AUTH_AUDIENCE: required when tokens are accepted (this server's resource identifier; tokens for others are refused)",
    ]);
  });

  it('demands a resource URL when the audience is not an http(s) URL', () => {
    expect(problemsOf({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: 'squad-mcp' })).toEqual([
      expect.stringMatching(/^AUTH_RESOURCE_URL: required when AUTH_AUDIENCE is not an http\(s\) URL/),
    ]);
  });

  it('refuses symmetric and unknown algorithms, naming them', () => {
    expect(problemsOf({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: 'https://a.example', AUTH_ALGORITHMS: 'RS256,HS256,none' })).toEqual([
      `AUTH_ALGORITHMS: only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}) are accepted, got HS256, none`,
    ]);
  });

  it('reports each bad value on its own line', () => {
    expect(
      problemsOf({
        AUTH_ISSUER: 'not a url',
        AUTH_JWKS_URL: 'ftp://idp.example/keys',
        AUTH_AUDIENCE: 'https://a.example',
        AUTH_RESOURCE_URL: '::',
        AUTH_USER_CLAIM: 'player id',
        AUTH_CLOCK_SKEW_SECONDS: '301',
        AUTH_FETCH_TIMEOUT_SECONDS: 'soon',
      }),
    ).toEqual([
      'AUTH_JWKS_URL: must use http: or https:, got "ftp:"',
      'AUTH_ISSUER: not a valid URL',
      'AUTH_RESOURCE_URL: not a valid URL',
      'AUTH_ISSUER: required with AUTH_JWKS_URL (every token is checked against its issuer)',
      'AUTH_USER_CLAIM: must be a claim name of visible characters without spaces',
      'AUTH_CLOCK_SKEW_SECONDS: must be between 0 and 300, got 301',
      'AUTH_FETCH_TIMEOUT_SECONDS: expected a number of seconds, got "soon"',
    ]);
  });

  it('names an audience or resource URL set without an issuer, which would leave tokens off unnoticed', () => {
    expect(problemsOf({ AUTH_AUDIENCE: 'https://a.example', AUTH_RESOURCE_URL: 'https://a.example', AUTH_ROLES_CLAIM: 'scp', AUTH_CLOCK_SKEW_SECONDS: '30' })).toEqual([
      'AUTH_AUDIENCE: has no effect without AUTH_JWKS_URL or AUTH_ISSUER',
      'AUTH_RESOURCE_URL: has no effect without AUTH_JWKS_URL or AUTH_ISSUER',
    ]);
  });

  it('starts keys-only with the example settings (tunables set, issuer empty)', () => {
    expect(loadConfig({ AUTH_ISSUER: '', AUTH_AUDIENCE: '', AUTH_ROLES_CLAIM: 'roles', AUTH_USER_CLAIM: 'sub', AUTH_JWKS_MAX_AGE_SECONDS: '600' }).tokens).toBeUndefined();
  });

  it('demands https in production, where tokens may stand in for keys', () => {
    const production = { ENVIRONMENT: 'production', DB_URL: 'postgres://db/squad', API_BASE_URL: 'https://api.example' };
    expect(problemsOf({ ...production, AUTH_ISSUER: 'http://idp.example', AUTH_AUDIENCE: 'https://a.example' })).toEqual([
      'AUTH_ISSUER: must use https: when ENVIRONMENT=production',
    ]);
    expect(problemsOf({ ...production, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: 'https://a.example' })).toEqual([]);
  });
});

describe('loadConfig: tracing settings', () => {
  describe('tracing', () => {
    it('is off unless an OTLP endpoint is set, and off again when OTEL_SDK_DISABLED is true', () => {
      expect(loadConfig({}).tracing).toBeUndefined();
      expect(loadConfig({ OTEL_SERVICE_NAME: 'other', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeUndefined();
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
    });

    it('sends traces to the endpoint path /v1/traces with the documented defaults', () => {
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
        tracesUrl: 'http://collector:4318/v1/traces',
        headers: {},
        serviceName: 'squad-mcp',
        resourceAttributes: {},
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
        exportDelayMs: 5000,
        metricsUrl: 'http://collector:4318/v1/metrics',
        metricExportIntervalMs: 60_000,
        captureContent: false,
      });
    });

    it('sends metrics to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT at OTEL_METRIC_EXPORT_INTERVAL, and none when only a traces endpoint is set', () => {
      const tracing = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics.example/custom/metrics',
        OTEL_METRIC_EXPORT_INTERVAL: '1500',
      }).tracing;
      expect(tracing).toMatchObject({ tracesUrl: 'http://collector:4318/v1/traces', metricsUrl: 'https://metrics.example/custom/metrics', metricExportIntervalMs: 1500 });
      expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).tracing?.metricsUrl).toBeUndefined();
    });

    it('reads the signal endpoint, headers, resource attributes and sampler of the standard variables', () => {
      const tracing = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/custom/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=squad, authorization=Bearer%20t%C3%B6ken',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'squad-mcp-eu',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,service.namespace=squad',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }).tracing;
      expect(tracing).toEqual({
        tracesUrl: 'https://collector.example/custom/traces',
        headers: { 'x-tenant': 'squad', authorization: 'Bearer töken' },
        serviceName: 'squad-mcp-eu',
        resourceAttributes: { 'deployment.environment.name': 'staging', 'service.namespace': 'squad' },
        sampler: 'parentbased_traceidratio',
        samplerRatio: 0.25,
        exportDelayMs: 200,
        metricsUrl: 'http://ignored:4318/v1/metrics',
        metricExportIntervalMs: 60_000,
        captureContent: false,
      });
    });

    it('names each bad tracing variable on its own line', () => {
      expect(
        problemsOf({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_EXPORTER_OTLP_HEADERS: 'novalue',
          OTEL_RESOURCE_ATTRIBUTES: 'bad=%E0%A4%A',
          OTEL_TRACES_SAMPLER: 'sometimes',
          OTEL_TRACES_SAMPLER_ARG: '1.5',
          OTEL_BSP_SCHEDULE_DELAY: 'soon',
        }),
      ).toEqual([
        'OTEL_EXPORTER_OTLP_ENDPOINT: must use http: or https:, got "grpc:"',
        'OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http/json, got "grpc"',
        'OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs separated by commas',
        'OTEL_RESOURCE_ATTRIBUTES: expected key=value pairs separated by commas',
        expect.stringMatching(/^OTEL_TRACES_SAMPLER: must be one of parentbased_always_on, .*got "sometimes"$/),
        'OTEL_TRACES_SAMPLER_ARG: expected a number between 0 and 1, got "1.5"',
        'OTEL_BSP_SCHEDULE_DELAY: expected an integer, got "soon"',
      ]);
    });
  });
});

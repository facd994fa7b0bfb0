/** JWT bearer tokens accepted beside the API keys (AUTH_JWKS_URL or AUTH_ISSUER set). */
export interface TokenSettings {
  /** The issuer's JWKS; discovered from AUTH_ISSUER's OpenID configuration when not set. */
  readonly jwksUrl: string | undefined;
  /** The `iss` every token must carry, and the authorization server named in the resource metadata. */
  readonly issuer: string;
  /** The `aud` every token must carry: this server's resource identifier. */
  readonly audience: string;
  /** This server's resource URL in the RFC 9728 metadata; it also locates the metadata document. */
  readonly resourceUrl: string;
  /** The claim holding the roles (a list, or space-separated words); `scope` is read as well. */
  readonly rolesClaim: string;
  /** The claim holding the end user's player id. */
  readonly userClaim: string;
  /** Leeway on `exp` and `nbf`, for clocks that differ a little. */
  readonly clockSkewSeconds: number;
  /** The signature algorithms accepted; asymmetric only. */
  readonly algorithms: readonly string[];
  /** How long fetched keys are used before they are fetched again (they stay in use while that fails). */
  readonly jwksMaxAgeMs: number;
  /** The least time between two fetches of the keys, whatever asks for them (unknown `kid`s included). */
  readonly jwksCooldownMs: number;
  /** The longest one fetch of the JWKS or the discovery document may take. */
  readonly fetchTimeoutMs: number;
}

export type Environment = 'development' | 'staging' | 'production';
export type TraceSampler = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

/** Where and how spans are exported (OTLP over HTTP, JSON); absent when tracing is off. */
export interface TracingConfig {
  /** The collector's traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
  readonly tracesUrl: string;
  /** Sent with every export (OTEL_EXPORTER_OTLP_HEADERS); they may hold a collector's token, so never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: TraceSampler;
  /** The ratio of the `traceidratio` samplers (OTEL_TRACES_SAMPLER_ARG). */
  readonly samplerRatio: number;
  /** How long finished spans wait to be exported together (OTEL_BSP_SCHEDULE_DELAY). */
  readonly exportDelayMs: number;
  /**
   * The collector's metrics URL: OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT
   * + `/v1/metrics`; undefined (no OTLP metrics) when only a traces endpoint is set.
   */
  readonly metricsUrl: string | undefined;
  /** How often metrics are exported (OTEL_METRIC_EXPORT_INTERVAL, milliseconds). */
  readonly metricExportIntervalMs: number;
  /** Whether spans may carry users' text, such as a document search's question (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT). */
  readonly captureContent: boolean;
}
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
/** `auto`: pretty in a terminal outside production, JSON lines otherwise. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** The validated, typed configuration. Nothing else in the app reads `process.env`. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly environment: Environment;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly api: {
    readonly baseUrl: string | undefined;
    readonly timeoutMs: number;
    readonly maxRetries: number;
    readonly retryBaseDelayMs: number;
    readonly maxConnections: number;
    /** Calls that may wait for one of the `maxConnections`; any beyond are refused at once. */
    readonly maxQueue: number;
    readonly serviceAuthToken: string | undefined;
    readonly healthPath: string;
    /** The largest squad-api answer read; a larger one is refused while it arrives. */
    readonly maxResponseBytes: number;
    /** The longest a call to squad-api may take, retries and backoff included. */
    readonly deadlineMs: number;
    /** Consecutive failed attempts (retries included) that open the circuit breaker. */
    readonly breakerFailures: number;
    /** How long the open breaker fails fast before letting one call probe squad-api. */
    readonly breakerCooldownMs: number;
  };
  readonly db: {
    readonly url: string | undefined;
    readonly poolSize: number;
    readonly poolMaxOverflow: number;
    readonly poolRecycleSeconds: number;
    readonly statementTimeoutMs: number;
    /**
     * Run each query as a named prepared statement, planned once per connection (DB_NAMED_STATEMENTS,
     * on by default; off behind a pooler that cannot keep them). The embedded database always turns
     * it off, since its connections share one session where names from different clients collide.
     */
    readonly namedStatements: boolean;
  };
  readonly keys: {
    readonly primary: string | undefined;
    readonly secondary: string | undefined;
    readonly admin: string | undefined;
    readonly file: string | undefined;
  };
  /** Token verification, or undefined when only keys are accepted. */
  readonly tokens: TokenSettings | undefined;
  readonly rateLimitRpm: number;
  /** The limit of the development key the embedded default generates when no key is configured. */
  readonly developmentKeyRateLimitRpm: number;
  /** Where the embedded default keeps its development key across restarts (mode 0600, git-ignored by default). */
  readonly developmentKeyFile: string;
  readonly redisUrl: string | undefined;
  /** How long one rate-limit command may take in Redis before this instance counts in memory instead. */
  readonly rateLimitRedisTimeoutMs: number;
  /** Refused authentications allowed per client address in any 60 s; beyond it the address gets 429. */
  readonly authFailuresPerMinute: number;
  /** Client addresses never throttled for refused authentications (trusted NATs, the mobile backend). */
  readonly authFailuresExemptCidrs: readonly string[];
  /** Proxy hops in front of the service whose X-Forwarded-For is believed (0: the socket's address). */
  readonly trustProxy: number;
  /** The most structured JSON one tool answer may carry; a longer page is cut short and continues. */
  readonly maxResultBytes: number;
  /** How long a REST tool's answer is reused for the same arguments and roles; 0 turns the result cache off. */
  readonly resultCacheTtlMs: number;
  /** Whether 2026-07-28 `tools/list` and `tools/call` are answered without the SDK's per-request server (the same answers, cheaper). */
  readonly mcpDirectDispatch: boolean;
  readonly enableRag: boolean;
  /** An OpenAI-compatible embeddings endpoint for semantic document search; keyword search only without it. */
  readonly embeddings: {
    readonly url: string | undefined;
    readonly model: string;
    readonly apiKey: string | undefined;
    readonly dimensions: number | undefined;
    readonly timeoutMs: number;
    readonly maxRetries: number;
  };
  readonly corsOrigins: readonly string[];
  readonly mcpAllowedHosts: readonly string[];
  readonly mcpAllowedOrigins: readonly string[];
  readonly metricsAllowedCidrs: readonly string[];
  /** How long shutdown waits for in-flight calls after SIGTERM. */
  readonly shutdownGraceMs: number;
  /**
   * How long, after SIGTERM and before it stops accepting connections, the replica answers
   * readiness 503 while still serving: at least a balancer's detection time where no preStop
   * pause does this (0 under Kubernetes, whose preStop pause holds the same place).
   */
  readonly shutdownAnnounceMs: number;
  /** How long a request with credentials may take to arrive, headers and body. */
  readonly requestTimeoutMs: number;
  /** The same for headers, and for the body of a request without a known key or a token: never longer than the above. */
  readonly unauthenticatedRequestTimeoutMs: number;
  /** OpenTelemetry tracing; off (undefined) unless an OTLP endpoint is set. */
  readonly tracing: TracingConfig | undefined;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export type Environment = 'development' | 'staging' | 'production';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The validated, typed configuration. Nothing else in the app reads `process.env`. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly environment: Environment;
  readonly logLevel: LogLevel;
  readonly api: {
    readonly baseUrl: string | undefined;
    readonly timeoutMs: number;
    readonly maxRetries: number;
    readonly retryBaseDelayMs: number;
    readonly maxConnections: number;
    readonly serviceAuthToken: string | undefined;
    readonly healthPath: string;
  };
  readonly db: {
    readonly url: string | undefined;
    readonly poolSize: number;
    readonly poolMaxOverflow: number;
    readonly poolRecycleSeconds: number;
    readonly statementTimeoutMs: number;
  };
  readonly keys: {
    readonly primary: string | undefined;
    readonly secondary: string | undefined;
    readonly admin: string | undefined;
    readonly file: string | undefined;
  };
  readonly rateLimitRpm: number;
  readonly redisUrl: string | undefined;
  readonly enableRag: boolean;
  readonly corsOrigins: readonly string[];
  readonly mcpAllowedHosts: readonly string[];
  readonly mcpAllowedOrigins: readonly string[];
  readonly metricsAllowedCidrs: readonly string[];
}

export const APP_CONFIG = Symbol('APP_CONFIG');

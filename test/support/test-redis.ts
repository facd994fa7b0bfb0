/**
 * The Redis the tests share rate limits and cached answers through (TEST_REDIS_URL); this
 * machine's, database 0, by default. Point concurrent runs at different databases
 * (`redis://127.0.0.1:6379/3`) to keep their keys apart.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const parsed = new URL(TEST_REDIS_URL);
/** Host and port, for the TCP proxies that misbehave in front of Redis. */
export const TEST_REDIS_HOST = parsed.hostname;
export const TEST_REDIS_PORT = Number(parsed.port || 6379);

/** The same Redis reached through a proxy on `port`, keeping the database and credentials of TEST_REDIS_URL. */
export function redisUrlThrough(port: number): string {
  const url = new URL(TEST_REDIS_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

/**
 * Settings for suites that assert exact counts shared through Redis: a rate-limit command may take
 * as long as the slowest moment of a busy test machine, so no instance drops to counting in memory
 * (which starts from zero) in the middle of a count.
 */
export const SHARED_COUNT_ENV = { REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_REDIS_TIMEOUT_MS: '30000' } as const;

/** Waits until each instance counts in Redis (its first answer may come after start-up on a busy machine). */
export async function untilCountingInRedis(...baseUrls: string[]): Promise<void> {
  for (const baseUrl of baseUrls) {
    for (let attempt = 0; ; attempt++) {
      const health = (await (await fetch(new URL('/health', baseUrl))).json()) as { checks: { rate_limiter: { backend: string } } };
      if (health.checks.rate_limiter.backend === 'redis') {
        break;
      }
      if (attempt === 300) {
        throw new Error(`${baseUrl} still counts rate limits in ${health.checks.rate_limiter.backend}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

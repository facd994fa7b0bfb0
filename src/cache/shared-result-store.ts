import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

// A cache is worth waiting for only while it is faster than what it saves: a read that takes
// longer than this counts as an outage, and the instance carries on with its local cache.
const COMMAND_TIMEOUT_MS = 150;
// How often, during an outage, a PING checks whether Redis answers again.
const PROBE_INTERVAL_MS = 1000;

/**
 * The Redis half of the result cache, shared by every instance. It never fails a call: a
 * failed or slow command marks Redis unavailable, reads and writes are skipped (the caller
 * keeps its local cache) until a background PING gets an answer, and each outage is logged
 * once. Redis is used only once it has answered.
 */
export class SharedResultStore {
  private readonly logger = new Logger('ResultCache');
  private readonly redis: Redis;
  private available = false;
  private outageLogged = false;
  private probe: NodeJS.Timeout | undefined;
  private closing = false;
  private answered: (() => void) | undefined;
  /** Settles once Redis has answered for the first time. */
  readonly firstAnswer = new Promise<void>((resolve) => {
    this.answered = resolve;
  });

  constructor(url: string) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', () => {
      // Connection errors surface as failed commands or a closed connection, handled below.
    });
    this.redis.on('close', () => {
      this.unavailable('connection_lost');
    });
    this.redis.on('ready', () => {
      this.check();
    });
    this.startProbing();
  }

  get usable(): boolean {
    return this.available;
  }

  /** The stored value, or undefined when absent or when Redis cannot answer now. */
  async get(key: string): Promise<string | undefined> {
    if (!this.available) {
      return undefined;
    }
    try {
      return (await this.redis.get(key)) ?? undefined;
    } catch (error) {
      this.unavailable(error instanceof Error ? error.message : 'command_failed');
      return undefined;
    }
  }

  /** Stores without waiting: the caller's answer never depends on the write. */
  put(key: string, value: string, ttlMs: number): void {
    if (!this.available) {
      return;
    }
    this.redis.set(key, value, 'PX', ttlMs).catch((error: unknown) => {
      this.unavailable(error instanceof Error ? error.message : 'command_failed');
    });
  }

  close(): void {
    this.closing = true;
    this.stopProbing();
    this.redis.disconnect();
  }

  private unavailable(reason: string): void {
    if (this.closing) {
      return;
    }
    const wasAvailable = this.available;
    this.available = false;
    if (wasAvailable && !this.outageLogged) {
      this.outageLogged = true;
      this.logger.warn({ event: 'result_cache_fallback', reason }, 'Redis unreachable: caching tool answers on this instance only');
    }
    this.startProbing();
  }

  private startProbing(): void {
    if (this.probe !== undefined || this.closing) {
      return;
    }
    this.probe = setInterval(() => {
      this.check();
    }, PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private check(): void {
    this.redis.ping().then(
      () => {
        this.recovered();
      },
      () => {
        // Still unreachable; the next probe asks again.
      },
    );
  }

  private stopProbing(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }

  private recovered(): void {
    if (this.closing) {
      return;
    }
    this.stopProbing();
    this.answered?.();
    if (this.available) {
      return;
    }
    this.available = true;
    if (this.outageLogged) {
      this.outageLogged = false;
      this.logger.log({ event: 'result_cache_recovered' }, 'Redis reachable again: tool answers are shared across instances');
    }
  }
}

import { Logger } from '@nestjs/common';

import { RedisLink } from '../common/redis/redis-link';

// A cache is worth waiting for only while it is faster than what it saves: a read that takes
// longer than this counts as an outage, and the instance carries on with its local cache.
const COMMAND_TIMEOUT_MS = 150;

/** How a store's outages and recoveries are logged. */
export interface SharedStoreVoice {
  readonly context: string;
  readonly fallback: { readonly event: string; readonly message: string };
  readonly recovery: { readonly event: string; readonly message: string };
}

const RESULT_CACHE_VOICE: SharedStoreVoice = {
  context: 'ResultCache',
  fallback: { event: 'result_cache_fallback', message: 'Redis unreachable: caching tool answers on this instance only' },
  recovery: { event: 'result_cache_recovered', message: 'Redis reachable again: tool answers are shared across instances' },
};

/**
 * The Redis half of a cache (tool answers, query vectors), shared by every instance. It never fails a call: while
 * Redis is not usable (see RedisLink), reads and writes are skipped and the caller keeps its
 * local cache.
 */
export class SharedResultStore {
  private readonly link: RedisLink;

  constructor(url: string, voice: SharedStoreVoice = RESULT_CACHE_VOICE) {
    this.link = new RedisLink({ url, commandTimeoutMs: COMMAND_TIMEOUT_MS, retriesPerRequest: 0, logger: new Logger(voice.context), ...voice });
  }

  get usable(): boolean {
    return this.link.usable;
  }

  /** Waits for Redis's first answer, at most `ms`. */
  ready(ms: number): Promise<void> {
    return this.link.ready(ms);
  }

  /** The stored value, or undefined when absent or when Redis cannot answer now. */
  async get(key: string): Promise<string | undefined> {
    if (!this.link.usable) {
      return undefined;
    }
    try {
      return (await this.link.client.get(key)) ?? undefined;
    } catch (error) {
      this.link.failed(error);
      return undefined;
    }
  }

  /** Stores without waiting: the caller's answer never depends on the write. */
  put(key: string, value: string, ttlMs: number): void {
    if (!this.link.usable) {
      return;
    }
    this.link.client.set(key, value, 'PX', ttlMs).catch((error: unknown) => {
      this.link.failed(error);
    });
  }

  close(): void {
    this.link.close();
  }
}

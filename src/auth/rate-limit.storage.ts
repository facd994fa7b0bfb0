import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';

import { APP_CONFIG, type AppConfig } from '../config/app-config';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// One fixed window per key: the first hit starts it; every instance counts in the same key.
const COUNT_HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

export type RateLimitBackend = 'redis' | 'memory' | 'memory_fallback';

/** The Lua script registered once with Redis and called by its digest (EVALSHA). */
type RedisWithCountHit = Redis & { countHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Rate-limit counters: atomic in Redis when REDIS_URL is set, so every instance spends one
 * budget per key; in memory otherwise, and in memory per instance while Redis is unreachable
 * (logged once per outage, reported by /health as degraded).
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly memory = new ThrottlerStorageService();
  private readonly redis: RedisWithCountHit | undefined;
  private fallingBack = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.redisUrl !== undefined) {
      const redis = new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        commandTimeout: 1000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      redis.defineCommand('countHit', { numberOfKeys: 1, lua: COUNT_HIT });
      this.redis = redis as RedisWithCountHit;
    }
    this.redis?.on('error', () => {
      // Connection errors surface on the next command, which falls back to memory.
    });
  }

  get backend(): RateLimitBackend {
    if (this.redis === undefined) {
      return 'memory';
    }
    return this.fallingBack ? 'memory_fallback' : 'redis';
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    if (this.redis === undefined) {
      return this.memory.increment(key, ttl, limit, blockDuration, name);
    }
    try {
      const [hits, remainingMs] = await this.redis.countHit(`squad-mcp:rate:${key}`, ttl);
      this.recovered();
      const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
    } catch (error) {
      this.fellBack(error);
      return this.memory.increment(key, ttl, limit, blockDuration, name);
    }
  }

  private fellBack(error: unknown): void {
    if (!this.fallingBack) {
      this.fallingBack = true;
      this.logger.warn({ err: error, event: 'rate_limit_fallback' }, 'Redis unreachable: counting rate limits in memory on this instance');
    }
  }

  private recovered(): void {
    if (this.fallingBack) {
      this.fallingBack = false;
      this.logger.log({ event: 'rate_limit_recovered' }, 'Redis reachable again: rate limits are shared across instances');
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
    this.memory.onApplicationShutdown();
  }
}

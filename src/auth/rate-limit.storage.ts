import { setTimeout } from 'node:timers/promises';

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
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

// How long start-up waits for Redis's first answer before counting in memory.
const STARTUP_WAIT_MS = 1000;
// How often, while counting in memory, a PING checks whether Redis answers again.
const PROBE_INTERVAL_MS = 1000;

/**
 * Rate-limit counters: atomic in Redis when REDIS_URL is set, so every instance spends one
 * budget per key; in memory otherwise. Redis is trusted only once it has answered: from
 * start-up until then, and from the first failed command of an outage, each instance counts
 * in memory at once (so a stalled Redis costs at most one command timeout) while a background
 * PING waits for Redis to answer again. Each outage is logged once; /health reports it.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly memory = new ThrottlerStorageService();
  private readonly redis: RedisWithCountHit | undefined;
  private usingRedis = false;
  private outageLogged = false;
  private probe: NodeJS.Timeout | undefined;
  private firstAnswer: Promise<void> = Promise.resolve();
  private closing = false;

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
      redis.on('error', () => {
        // Connection errors surface as failed commands or a lost connection, handled below.
      });
      redis.on('close', () => {
        this.fellBack('connection_lost');
      });
      this.redis = redis as RedisWithCountHit;
      this.firstAnswer = new Promise<void>((resolve) => {
        redis.on('ready', () => {
          this.check(resolve);
        });
      });
      this.startProbing();
    }
  }

  /** Gives Redis a moment to answer before the first call, without making start-up depend on it. */
  async onModuleInit(): Promise<void> {
    await Promise.race([this.firstAnswer, setTimeout(STARTUP_WAIT_MS, undefined, { ref: false })]);
  }

  get backend(): RateLimitBackend {
    if (this.redis === undefined) {
      return 'memory';
    }
    return this.usingRedis ? 'redis' : 'memory_fallback';
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    if (this.redis === undefined || !this.usingRedis) {
      return this.memory.increment(key, ttl, limit, blockDuration, name);
    }
    try {
      const [hits, remainingMs] = await this.redis.countHit(`squad-mcp:rate:${key}`, ttl);
      const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
    } catch (error) {
      this.fellBack(error instanceof Error ? error.message : 'command_failed');
      return this.memory.increment(key, ttl, limit, blockDuration, name);
    }
  }

  private fellBack(reason: string): void {
    if (this.redis === undefined || this.closing) {
      return;
    }
    const wasUsingRedis = this.usingRedis;
    this.usingRedis = false;
    if (wasUsingRedis || !this.outageLogged) {
      this.outageLogged = true;
      this.logger.warn({ event: 'rate_limit_fallback', reason }, 'Redis unreachable: counting rate limits in memory on this instance');
    }
    this.startProbing();
  }

  private startProbing(): void {
    if (this.probe !== undefined || this.redis === undefined) {
      return;
    }
    this.probe = setInterval(() => {
      this.check();
    }, PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private check(answered?: () => void): void {
    this.redis?.ping().then(
      () => {
        this.stopProbing();
        this.recovered();
        answered?.();
      },
      () => {
        if (!this.outageLogged) {
          this.fellBack('no_answer');
        }
      },
    );
  }

  private stopProbing(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }

  private recovered(): void {
    if (this.usingRedis) {
      return;
    }
    this.usingRedis = true;
    if (this.outageLogged) {
      this.outageLogged = false;
      this.logger.log({ event: 'rate_limit_recovered' }, 'Redis reachable again: rate limits are shared across instances');
    }
  }

  onModuleDestroy(): void {
    this.closing = true;
    this.stopProbing();
    this.redis?.disconnect();
    this.memory.onApplicationShutdown();
  }
}

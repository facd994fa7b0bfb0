import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SlidingWindowLog,type Spend } from './sliding-window';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// The sliding-window log of SlidingWindowLog, atomic in Redis: one script, one round trip, so every
// instance spends one budget per key. ARGV: now (ms), window (ms), limit, units, a unique member prefix.
const SPEND = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local units = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
local granted = math.max(0, math.min(units, limit - used))
for unit = 1, granted do
  redis.call('ZADD', KEYS[1], now, ARGV[5] .. ':' .. unit)
end
used = used + granted
local retry = 0
local reset = 0
if used > 0 then
  redis.call('PEXPIRE', KEYS[1], window)
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  reset = math.max(1, tonumber(oldest[2]) + window - now)
end
if used >= limit then
  local blocking = redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')
  retry = math.max(1, tonumber(blocking[2]) + window - now)
end
return { granted, used, retry, reset }`;

export const RATE_WINDOW_MS = 60_000;

export type RateLimitBackend = 'redis' | 'memory' | 'memory_fallback';

/** The Lua script registered once with Redis and called by its digest (EVALSHA). */
type RedisWithSpend = Redis & {
  spend(key: string, now: number, windowMs: number, limit: number, units: number, member: string): Promise<[number, number, number, number]>;
};

// How long start-up waits for Redis's first answer before counting in memory.
const STARTUP_WAIT_MS = 1000;
// How often, while counting in memory, a PING checks whether Redis answers again.
const PROBE_INTERVAL_MS = 1000;

/**
 * Rate-limit budgets, exact over any window: a sliding-window log, atomic in Redis when REDIS_URL
 * is set, so every instance spends one budget per key; in memory otherwise. Redis is trusted only once it has answered: from
 * start-up until then, and from the first failed command of an outage, each instance counts
 * in memory at once (so a stalled Redis costs at most one command timeout) while a background
 * PING waits for Redis to answer again. Each outage is logged once; /health reports it.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly memory = new SlidingWindowLog();
  private readonly redis: RedisWithSpend | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private usingRedis = false;
  private outageLogged = false;
  private probe: NodeJS.Timeout | undefined;
  private firstAnswer: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.sweeper = setInterval(() => {
      this.memory.sweep(this.clock.now(), RATE_WINDOW_MS);
    }, RATE_WINDOW_MS);
    this.sweeper.unref();
    if (config.redisUrl !== undefined) {
      const redis = new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        commandTimeout: 1000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      redis.defineCommand('spend', { numberOfKeys: 1, lua: SPEND });
      redis.on('error', () => {
        // Connection errors surface as failed commands or a lost connection, handled below.
      });
      redis.on('close', () => {
        this.fellBack('connection_lost');
      });
      this.redis = redis as RedisWithSpend;
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

  /** The throttler's view of one unit: what the REST mirrors and every other route spend per request. */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const spend = await this.spend(key, limit, 1, ttl);
    const refused = spend.granted === 0;
    return {
      totalHits: refused ? limit + 1 : spend.used,
      timeToExpire: Math.ceil(spend.resetMs / 1000),
      isBlocked: refused,
      timeToBlockExpire: refused ? Math.max(1, Math.ceil(spend.retryAfterMs / 1000)) : 0,
    };
  }

  /**
   * Spends up to `units` of the key's budget of `limit` per `windowMs` (0 units only looks):
   * granted units are counted, refused ones are not.
   */
  async spend(key: string, limit: number, units: number, windowMs = RATE_WINDOW_MS): Promise<Spend> {
    const now = this.clock.now();
    if (this.redis === undefined || !this.usingRedis) {
      return this.memory.spend(key, limit, units, now, windowMs);
    }
    try {
      const [granted, used, retryAfterMs, resetMs] = await this.redis.spend(`squad-mcp:window:${key}`, now, windowMs, limit, units, `${now}:${randomUUID()}`);
      return { granted, used, retryAfterMs, resetMs };
    } catch (error) {
      this.fellBack(error instanceof Error ? error.message : 'command_failed');
      return this.memory.spend(key, limit, units, now, windowMs);
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
    clearInterval(this.sweeper);
  }
}

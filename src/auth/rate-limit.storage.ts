import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

import { CLOCK, type Clock } from '../common/clock';
import { RedisLink } from '../common/redis/redis-link';
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
interface SpendCommand {
  spend(key: string, now: number, windowMs: number, limit: number, units: number, member: string): Promise<[number, number, number, number]>;
}

// How long start-up waits at least for Redis's first answer before counting in memory.
const STARTUP_WAIT_MS = 1000;

/**
 * Rate-limit budgets, exact over any window: a sliding-window log, atomic in Redis when REDIS_URL
 * is set, so every instance spends one budget per key; in memory otherwise, and whenever Redis
 * is not usable (see RedisLink: a stalled Redis costs at most one command timeout). /health
 * reports which.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly memory = new SlidingWindowLog();
  private readonly link: RedisLink | undefined;
  private readonly sweeper: NodeJS.Timeout;
  private readonly startupWaitMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.sweeper = setInterval(() => {
      this.memory.sweep(this.clock.now(), RATE_WINDOW_MS);
    }, RATE_WINDOW_MS);
    this.sweeper.unref();
    this.startupWaitMs = Math.max(STARTUP_WAIT_MS, config.rateLimitRedisTimeoutMs);
    if (config.redisUrl !== undefined) {
      this.link = new RedisLink({
        url: config.redisUrl,
        commandTimeoutMs: config.rateLimitRedisTimeoutMs,
        retriesPerRequest: 1,
        logger: new Logger('RateLimit'),
        fallback: { event: 'rate_limit_fallback', message: 'Redis unreachable: counting rate limits in memory on this instance' },
        recovery: { event: 'rate_limit_recovered', message: 'Redis reachable again: rate limits are shared across instances' },
      });
      this.link.client.defineCommand('spend', { numberOfKeys: 1, lua: SPEND });
    }
  }

  /** Gives Redis a moment to answer before the first call, without making start-up depend on it. */
  async onModuleInit(): Promise<void> {
    await this.link?.ready(this.startupWaitMs);
  }

  get backend(): RateLimitBackend {
    if (this.link === undefined) {
      return 'memory';
    }
    return this.link.usable ? 'redis' : 'memory_fallback';
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
    if (this.link?.usable !== true) {
      return this.memory.spend(key, limit, units, now, windowMs);
    }
    try {
      const redis = this.link.client as unknown as SpendCommand;
      const [granted, used, retryAfterMs, resetMs] = await redis.spend(`squad-mcp:window:${key}`, now, windowMs, limit, units, `${now}:${randomUUID()}`);
      return { granted, used, retryAfterMs, resetMs };
    } catch (error) {
      this.link.failed(error);
      return this.memory.spend(key, limit, units, now, windowMs);
    }
  }

  onModuleDestroy(): void {
    this.link?.close();
    clearInterval(this.sweeper);
  }
}

import { createHash } from 'node:crypto';

import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { CLOCK, type Clock } from '../common/clock';
import type { Role } from '../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { LruCache } from './lru-cache';
import { SharedResultStore } from './shared-result-store';

// Enough for every REST entity of a busy day; the size bound keeps the worst case near 32 MB of strings.
const LOCAL_BOUNDS = { maxEntries: 10_000, maxSize: 16 * 1024 * 1024 };
const REDIS_PREFIX = 'squad-mcp:result:';
// How long start-up waits for Redis's first answer before caching locally until it comes.
const STARTUP_WAIT_MS = 1000;

/** Who the answer was computed for, and with what: everything the key is made of. */
export interface CacheableCall {
  readonly tool: string;
  readonly version: string;
  readonly input: object;
  readonly roles: readonly Role[];
  /** The end user the answer was fetched for, and the client that vouched for them; undefined when it is the same for everyone. */
  readonly user: { readonly clientId: string; readonly userId: string } | undefined;
}

/** A kept tool answer and how much longer it may be reused. */
export interface CachedAnswer {
  readonly output: object;
  readonly freshForMs: number;
}

/** JSON with object keys in a fixed order, so equal inputs make equal keys whatever order they came in. */
export function stableJson(value: unknown): string {
  if (value === undefined) {
    return 'null';
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if ('toJSON' in value && typeof value.toJSON === 'function') {
    return stableJson((value.toJSON as () => unknown)());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => stableJson(item)).join(',')}]`;
  }
  const fields = Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, field]) => `${JSON.stringify(key)}:${stableJson(field)}`);
  return `{${fields.join(',')}}`;
}

/**
 * Reuses the answers of tools that read squad-api, for RESULT_CACHE_TTL_SECONDS, per tool version,
 * validated arguments and role set (an admin answer carries personal data a service answer must
 * not), and per end user when the call names one (see CacheStep). Local first, then Redis when REDIS_URL is set, so instances share what one of them fetched.
 * Only successful answers are kept; nothing is ever served past its expiry, wherever it was stored.
 */
@Injectable()
export class ResultCache implements OnModuleInit, OnModuleDestroy {
  private readonly ttlMs: number;
  private readonly namespace: string;
  private readonly local = new LruCache(LOCAL_BOUNDS);
  private readonly shared: SharedResultStore | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {
    this.ttlMs = config.resultCacheTtlMs;
    // Deployments sharing one Redis in front of different squad-apis never see each other's answers.
    this.namespace = config.api.baseUrl === undefined ? '' : new URL(config.api.baseUrl).origin;
    this.shared = this.ttlMs > 0 && config.redisUrl !== undefined ? new SharedResultStore(config.redisUrl) : undefined;
  }

  /** Gives Redis a moment to answer, so instances share answers from their first call, without making start-up depend on it. */
  async onModuleInit(): Promise<void> {
    if (this.shared !== undefined) {
      await this.shared.ready(STARTUP_WAIT_MS);
    }
  }

  /** The fresh answer of `call`, from this instance or (when shared) another; undefined when there is none. */
  async lookup(call: CacheableCall): Promise<CachedAnswer | undefined> {
    const found = await this.find(this.keyOf(call));
    this.metrics.cacheRequest(call.tool, found === undefined ? 'miss' : 'hit');
    return found === undefined ? undefined : { output: JSON.parse(found.value) as object, freshForMs: found.expiresAt - this.clock.now() };
  }

  /** Keeps a successful answer of `call` for the TTL; returns how long it stays fresh. */
  keep(call: CacheableCall, output: object): number {
    const key = this.keyOf(call);
    const value = JSON.stringify(output);
    const expiresAt = this.clock.now() + this.ttlMs;
    this.local.set(key, value, expiresAt);
    this.shared?.put(REDIS_PREFIX + key, `${expiresAt}:${value}`, this.ttlMs);
    return this.ttlMs;
  }

  private async find(key: string): Promise<{ value: string; expiresAt: number } | undefined> {
    const local = this.local.get(key, this.clock.now());
    if (local !== undefined || this.shared === undefined) {
      return local;
    }
    const stored = await this.shared.get(REDIS_PREFIX + key);
    const separator = stored?.indexOf(':') ?? -1;
    if (stored === undefined || separator < 0) {
      return undefined;
    }
    const expiresAt = Number(stored.slice(0, separator));
    const now = this.clock.now();
    // Redis expires entries on its own clock; this instance's clock decides, and an entry that
    // claims more than one TTL ahead (a writer whose clock runs fast) is not believed.
    if (!Number.isFinite(expiresAt) || expiresAt <= now || expiresAt - now > this.ttlMs) {
      return undefined;
    }
    const value = stored.slice(separator + 1);
    this.local.set(key, value, expiresAt);
    return { value, expiresAt };
  }

  private keyOf(call: CacheableCall): string {
    const roles = [...new Set(call.roles)].sort().join(',');
    const user = call.user === undefined ? null : [call.user.clientId, call.user.userId];
    // JSON keeps each part apart, whatever characters a client id or an argument carries.
    const material = JSON.stringify([this.namespace, call.tool, call.version, roles, user, stableJson(call.input)]);
    return createHash('sha256').update(material).digest('base64url');
  }

  onModuleDestroy(): void {
    this.shared?.close();
  }
}

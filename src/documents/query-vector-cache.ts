import { createHash } from 'node:crypto';

import { LruCache } from '../cache/lru-cache';
import { SharedResultStore } from '../cache/shared-result-store';
import type { Embedder } from './embeddings-client';
import { normalizedQuestion } from './keyword-terms';

// About 8 MB of 1536-dimension vectors as JSON; questions repeat, and each saves an endpoint call.
const LOCAL_BOUNDS = { maxEntries: 2_000, maxSize: 8 * 1024 * 1024 };
// A model's vector for a text never changes; the time bound only lets a renamed model's entries go.
const TTL_MS = 24 * 60 * 60 * 1000;
const REDIS_PREFIX = 'squad-mcp:query-vector:';

/**
 * The vectors of questions, keyed by model and normalized question: in a bounded LRU, and in
 * Redis when REDIS_URL is set so every instance reuses what one of them paid for. A miss asks the
 * embedder; its failures propagate (the caller falls back to keyword search).
 */
export class QueryVectorCache {
  private readonly local = new LruCache(LOCAL_BOUNDS);
  private readonly shared: SharedResultStore | undefined;

  constructor(
    private readonly embedder: Embedder,
    redisUrl: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.shared =
      redisUrl === undefined
        ? undefined
        : new SharedResultStore(redisUrl, {
            context: 'QueryVectorCache',
            fallback: { event: 'query_vector_cache_fallback', message: 'Redis unreachable: caching question vectors on this instance only' },
            recovery: { event: 'query_vector_cache_recovered', message: 'Redis reachable again: question vectors are shared across instances' },
          });
  }

  /** Waits for Redis's first answer, at most `ms`, so instances share vectors from their first call. */
  async ready(ms: number): Promise<void> {
    await this.shared?.ready(ms);
  }

  get model(): string {
    return this.embedder.model;
  }

  async vectorOf(question: string): Promise<number[]> {
    const key = createHash('sha256').update(`${this.embedder.model}\n${normalizedQuestion(question)}`).digest('hex');
    const now = this.now();
    const local = this.local.get(key, now);
    if (local !== undefined) {
      return JSON.parse(local.value) as number[];
    }
    const stored = await this.shared?.get(REDIS_PREFIX + key);
    if (stored !== undefined) {
      this.local.set(key, stored, now + TTL_MS);
      return JSON.parse(stored) as number[];
    }
    const [vector = []] = await this.embedder.embed([question]);
    const value = JSON.stringify(vector);
    this.local.set(key, value, now + TTL_MS);
    this.shared?.put(REDIS_PREFIX + key, value, TTL_MS);
    return vector;
  }

  close(): void {
    this.shared?.close();
  }
}

import { setTimeout } from 'node:timers/promises';

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

import { cancelledError, currentCallSignal } from '../common/cancellation/call-signal';
import { CircuitBreaker } from '../upstream/circuit-breaker';
import { retryDelayMs, type RetrySettings } from '../upstream/retry-policy';
import { failureOfError, failureOfResponse } from '../upstream/upstream-failure';

export interface EmbeddingsSettings {
  /** The endpoint's base URL; `/v1/embeddings` is appended (an URL already ending in `/v1` is accepted too). */
  readonly url: string;
  readonly model: string;
  readonly apiKey: string | undefined;
  /** Asked of the endpoint (models that can shorten their vectors) and required of every answer. */
  readonly dimensions: number | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/** Turns texts into vectors; the one thing ingestion and retrieval need from an embeddings endpoint. */
export interface Embedder {
  readonly model: string;
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Why the endpoint gave no vectors: `circuit_open`, `timeout`, `deadline`, `network`, `invalid_body` or `status_<code>`. */
export class EmbeddingsFailure extends Error {
  constructor(readonly reason: string) {
    super(`embeddings endpoint failed: ${reason}`);
    this.name = 'EmbeddingsFailure';
  }
}

const BREAKER_FAILURES = 5;
const BREAKER_COOLDOWN_MS = 10_000;
const RETRY: RetrySettings = { baseDelayMs: 200, retryAfterCapMs: 5_000 };
// Vectors of a batch of chunks are large: 64 texts × 3072 floats as JSON is about 4 MB.
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The vectors of an OpenAI-compatible answer, in input order; a failure when the shape is not that. */
function vectorsOf(body: unknown, count: number, dimensions: number | undefined): number[][] | undefined {
  if (typeof body !== 'object' || body === null || !('data' in body) || !Array.isArray(body.data) || body.data.length !== count) {
    return undefined;
  }
  const vectors: number[][] = new Array<number[]>(count);
  for (const [position, item] of (body.data as unknown[]).entries()) {
    if (typeof item !== 'object' || item === null || !('embedding' in item) || !Array.isArray(item.embedding)) {
      return undefined;
    }
    const index = 'index' in item && typeof item.index === 'number' ? item.index : position;
    const vector = item.embedding as unknown[];
    if (!Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined || vector.length === 0) {
      return undefined;
    }
    if (!vector.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      return undefined;
    }
    vectors[index] = vector as number[];
  }
  const size = dimensions ?? vectors[0]?.length;
  return vectors.every((vector) => vector.length === size) ? vectors : undefined;
}

/**
 * A client for any OpenAI-compatible `POST /v1/embeddings` (OpenAI, Azure OpenAI's compatible
 * route, Ollama, vLLM, LiteLLM, text-embeddings-inference…), with the same resilience as the
 * squad-api client: a timeout per attempt, retries with backoff on transient failures within a
 * total deadline, and a circuit breaker that fails fast while the endpoint keeps failing.
 */
export class EmbeddingsClient implements Embedder {
  readonly model: string;
  private readonly http: AxiosInstance;
  private readonly breaker = new CircuitBreaker({ failures: BREAKER_FAILURES, cooldownMs: BREAKER_COOLDOWN_MS });
  private readonly path: string;

  constructor(private readonly settings: EmbeddingsSettings) {
    this.model = settings.model;
    const base = new URL(settings.url);
    this.path = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '') + '/v1/embeddings';
    this.http = axios.create({
      baseURL: base.origin,
      timeout: settings.timeoutMs,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      responseType: 'json',
      validateStatus: () => true,
      headers: settings.apiKey === undefined ? {} : { Authorization: `Bearer ${settings.apiKey}` },
    });
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) {
      return [];
    }
    // The tool call's signal (none at ingestion): its caller leaving aborts the request and any pause before a retry.
    const cancellation = currentCallSignal();
    const deadline = AbortSignal.timeout(this.settings.timeoutMs * (this.settings.maxRetries + 1) + RETRY.baseDelayMs * 2 ** this.settings.maxRetries);
    const body = { model: this.model, input: texts, ...(this.settings.dimensions === undefined ? {} : { dimensions: this.settings.dimensions }) };
    for (let attempt = 1; ; attempt += 1) {
      const admission = this.breaker.admit();
      if (admission === undefined) {
        throw new EmbeddingsFailure('circuit_open');
      }
      let reason: string;
      let retryable: boolean;
      let retryAfter: number | undefined;
      try {
        const response: AxiosResponse<unknown> = await this.http.post(this.path, body, { signal: AbortSignal.any([deadline, cancellation]) });
        const vectors = response.status === 200 ? vectorsOf(response.data, texts.length, this.settings.dimensions) : undefined;
        if (vectors !== undefined) {
          this.breaker.succeeded(admission);
          return vectors;
        }
        const failure = response.status === 404 ? undefined : failureOfResponse(response);
        reason = failure?.reason ?? (response.status === 200 ? 'invalid_body' : `status_${response.status}`);
        retryable = failure?.retryable ?? false;
        retryAfter = failure?.retryAfterMs;
      } catch (error) {
        if (cancellation.aborted) {
          // Says nothing about the endpoint's health.
          this.breaker.abandoned(admission);
          throw cancelledError();
        }
        const failure = failureOfError(error, deadline.aborted);
        ({ reason, retryable } = failure);
      }
      this.breaker.failed(admission);
      const delay = retryable && attempt <= this.settings.maxRetries ? retryDelayMs(attempt, retryAfter, RETRY) : undefined;
      if (delay === undefined || deadline.aborted) {
        throw new EmbeddingsFailure(reason);
      }
      await setTimeout(delay, undefined, { signal: cancellation }).catch(() => {
        throw cancelledError();
      });
    }
  }
}

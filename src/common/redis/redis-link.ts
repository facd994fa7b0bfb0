import { setTimeout } from 'node:timers/promises';

import type { Logger } from '@nestjs/common';
import Redis from 'ioredis';

// How often, during an outage, a PING checks whether Redis answers again.
const PROBE_INTERVAL_MS = 1000;

export interface RedisLinkOptions {
  readonly url: string;
  /** A command slower than this counts as an outage. */
  readonly commandTimeoutMs: number;
  readonly retriesPerRequest: number;
  readonly logger: Logger;
  /** The log events and messages of an outage's start and end. */
  readonly fallback: { readonly event: string; readonly message: string };
  readonly recovery: { readonly event: string; readonly message: string };
}

/**
 * A Redis connection that something can do without: it is used only once Redis has answered;
 * a failed or slow command (reported with `failed`) or a lost connection makes it unusable at
 * once, so callers carry on locally instead of waiting on every call; a background PING makes it
 * usable again. Each outage, start-up included, is logged once, and so is each recovery.
 */
export class RedisLink {
  readonly client: Redis;
  private available = false;
  private outageLogged = false;
  private probe: NodeJS.Timeout | undefined;
  private closing = false;
  private answered: (() => void) | undefined;
  private readonly firstAnswer = new Promise<void>((resolve) => {
    this.answered = resolve;
  });

  constructor(private readonly options: RedisLinkOptions) {
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: options.retriesPerRequest,
      connectTimeout: 2000,
      commandTimeout: options.commandTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      // Commands issued while the same batch of network events is handled go out in one write, and
      // their answers come back in one read, instead of a system call each way per command.
      enableAutoPipelining: true,
    });
    this.client.on('error', () => {
      // Connection errors surface as failed commands or a closed connection, handled below.
    });
    this.client.on('close', () => {
      this.failed('connection_lost');
    });
    this.client.on('ready', () => {
      this.check();
    });
    this.startProbing();
  }

  get usable(): boolean {
    return this.available;
  }

  /** Waits for Redis's first answer, at most `ms`, so start-up never depends on it. */
  async ready(ms: number): Promise<void> {
    await Promise.race([this.firstAnswer, setTimeout(ms, undefined, { ref: false })]);
  }

  /** A command failed: stop using Redis until it answers a PING again. */
  failed(reason: unknown): void {
    if (this.closing) {
      return;
    }
    this.available = false;
    if (!this.outageLogged) {
      this.outageLogged = true;
      const text = reason instanceof Error ? reason.message : String(reason);
      this.options.logger.warn({ event: this.options.fallback.event, reason: text }, this.options.fallback.message);
    }
    this.startProbing();
  }

  close(): void {
    this.closing = true;
    this.stopProbing();
    this.client.disconnect();
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
    this.client.ping().then(
      () => {
        this.recovered();
      },
      () => {
        this.failed('no_answer');
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
      this.options.logger.log({ event: this.options.recovery.event }, this.options.recovery.message);
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';

import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RATE_WINDOW_MS, RateLimitStorage } from './rate-limit.storage';
import { addressCounter } from './rate-limit-counters';

/**
 * Refused authentications per client address: over AUTH_FAILURES_PER_MINUTE in any 60 s, the
 * address is refused (429) before any key is compared, so keys cannot be guessed at speed. The
 * count lives with the rate limits (shared through Redis). Only an address that failed on this
 * instance within the window is looked up, so a well-behaved caller costs no extra round trip.
 */
@Injectable()
export class AuthFailureThrottle {
  private readonly recentFailures = new Map<string, number>();
  private readonly limit: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly budgets: RateLimitStorage,
  ) {
    this.limit = config.authFailuresPerMinute;
  }

  /** Seconds the address must wait before trying again, or undefined when it may try now. */
  async retryAfterSeconds(address: string): Promise<number | undefined> {
    const failedAt = this.recentFailures.get(address);
    if (failedAt === undefined) {
      return undefined;
    }
    if (failedAt <= this.clock.now() - RATE_WINDOW_MS) {
      this.recentFailures.delete(address);
      return undefined;
    }
    const spend = await this.budgets.spend(addressCounter(address), this.limit, 0);
    return spend.used >= this.limit ? Math.max(1, Math.ceil(spend.retryAfterMs / 1000)) : undefined;
  }

  async failed(address: string): Promise<void> {
    this.recentFailures.set(address, this.clock.now());
    await this.budgets.spend(addressCounter(address), this.limit, 1);
  }
}

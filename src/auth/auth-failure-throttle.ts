import { Inject, Injectable } from '@nestjs/common';

import { CLOCK, type Clock } from '../common/clock';
import { AddressRanges } from '../common/http/address-ranges';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { RATE_WINDOW_MS, RateLimitStorage } from './rate-limit.storage';
import { addressCounter } from './rate-limit-counters';

// Bounds the memory of the throttled-addresses gauge between scrapes; the oldest are forgotten first.
const MAX_TRACKED_THROTTLED = 10_000;

/**
 * Refused authentications per client address: over AUTH_FAILURES_PER_MINUTE in any 60 s, the
 * address is refused (429) before any key is compared, so keys cannot be guessed at speed. The
 * count lives with the rate limits (shared through Redis). Only an address that failed on this
 * instance within the window is looked up, so a well-behaved caller costs no extra round trip.
 * Addresses in AUTH_FAILURES_EXEMPT_CIDRS are never counted nor throttled; the addresses this
 * instance throttled within the last minute show in the `auth_throttled_addresses` gauge.
 */
@Injectable()
export class AuthFailureThrottle {
  private readonly recentFailures = new Map<string, number>();
  // When each address was last refused here, oldest first (re-inserted on every refusal).
  private readonly throttled = new Map<string, number>();
  private readonly limit: number;
  private readonly exempt: AddressRanges;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly budgets: RateLimitStorage,
    metrics: Metrics,
  ) {
    this.limit = config.authFailuresPerMinute;
    this.exempt = new AddressRanges(config.authFailuresExemptCidrs);
    metrics.sampleThrottledAddresses(() => this.throttledAddresses());
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
    if (spend.used < this.limit) {
      return undefined;
    }
    this.throttled.delete(address);
    this.throttled.set(address, this.clock.now());
    if (this.throttled.size > MAX_TRACKED_THROTTLED) {
      this.throttled.delete(this.throttled.keys().next().value ?? address);
    }
    return Math.max(1, Math.ceil(spend.retryAfterMs / 1000));
  }

  async failed(address: string): Promise<void> {
    if (this.exempt.contains(address)) {
      return;
    }
    this.recentFailures.set(address, this.clock.now());
    await this.budgets.spend(addressCounter(address), this.limit, 1);
  }

  /** The addresses refused within the last minute, most recent first; older ones are forgotten. */
  private throttledAddresses(): string[] {
    const since = this.clock.now() - RATE_WINDOW_MS;
    for (const [address, at] of this.throttled) {
      if (at > since) {
        break;
      }
      this.throttled.delete(address);
    }
    return [...this.throttled.keys()].reverse();
  }
}

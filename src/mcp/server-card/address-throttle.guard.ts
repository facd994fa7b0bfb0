import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import { RateLimitStorage } from '../../auth/rate-limit.storage';
import { AppError } from '../../common/errors/app-error';
import { clientAddressOf } from '../../common/http/client-address';

/** Card requests each address may make in any 60 s: far more than a client that honours the cache needs. */
export const CARD_REQUESTS_PER_MINUTE = 60;

/**
 * Limits a public route per client address (the connection's, or the one `TRUST_PROXY` lets
 * `X-Forwarded-For` name), in its own namespace of the shared rate-limit storage, so it spends
 * no key's budget and no key can spend it.
 */
@Injectable()
export class AddressThrottleGuard implements CanActivate {
  constructor(private readonly budgets: RateLimitStorage) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const address = clientAddressOf(context.switchToHttp().getRequest<Request>());
    const spend = await this.budgets.spend(`server-card:${address}`, CARD_REQUESTS_PER_MINUTE, 1);
    if (spend.granted === 0) {
      throw AppError.rateLimited(spend.retryAfterMs / 1000, 'server_card_throttled');
    }
    return true;
  }
}

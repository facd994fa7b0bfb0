import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { Metrics } from '../observability/metrics';

/**
 * One budget per API key, whichever route spends it (`/mcp` and every mirror alike). Runs after
 * the key guard, so it only sees authenticated callers; public routes are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  @Inject(Metrics) private readonly metrics!: Metrics;

  protected override shouldSkip(_context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(currentRequestContext()?.clientId === undefined);
  }

  protected override getTracker(): Promise<string> {
    return Promise.resolve(currentRequestContext()?.clientId ?? 'anonymous');
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('X-RateLimit-Limit', String(detail.limit));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset', String(detail.timeToExpire));
    const requestContext = currentRequestContext();
    if (requestContext !== undefined) {
      requestContext.access = { result: 'denied', reason: 'rate_limited' };
    }
    this.metrics.rateLimitHit(detail.tracker);
    throw new AppError(ErrorCode.RateLimited, undefined, { retryAfterSeconds: detail.timeToBlockExpire });
  }
}

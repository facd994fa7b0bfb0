import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { Metrics } from '../observability/metrics';
import { RateLimitStorage } from './rate-limit.storage';
import { callerCounter } from './rate-limit-counters';
import { type DemandOf, NO_TOOL_CALL, RATE_LIMIT_DEMAND } from './rate-limit-demand';

const seconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * One budget per API key (and per token client), whichever route spends it, in one unit per tool call: a route declares
 * with `@RateLimitDemand` how many tool calls a request will run (a batch runs as many), and a
 * request is charged those units plus one for anything else it carries (listing, initialize), or
 * one unit when it declares nothing; a demand of nothing at all (a request that will be refused
 * unrun) costs nothing. The units for its calls are granted to the request; each call
 * spends one as it starts. Runs after the key guard, so it only sees authenticated callers; public
 * routes are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  @Inject(Metrics) private readonly metrics!: Metrics;
  @Inject(RateLimitStorage) private readonly budgets!: RateLimitStorage;

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(props.context);
    const demandOf = this.reflector.get<DemandOf | undefined>(RATE_LIMIT_DEMAND, props.context.getHandler());
    const demand = demandOf?.(req as Request) ?? NO_TOOL_CALL;
    const tracker = await props.getTracker(req, props.context);
    const key = props.generateKey(props.context, tracker, props.throttler.name ?? 'default');
    const other = demand.otherMessages ? 1 : 0;
    if (demand.toolCalls + other === 0) {
      // A request refused before it runs anything costs nothing.
      return true;
    }
    const spend = await this.budgets.spend(key, props.limit, demand.toolCalls + other, props.ttl);
    const response = res as Response;
    response.setHeader('X-RateLimit-Limit', String(props.limit));
    response.setHeader('X-RateLimit-Remaining', String(Math.max(0, props.limit - spend.used)));
    response.setHeader('X-RateLimit-Reset', String(seconds(spend.resetMs)));
    if (spend.granted === 0) {
      await this.throwThrottlingException(props.context, {
        limit: props.limit,
        ttl: props.ttl,
        key,
        tracker,
        totalHits: props.limit + 1,
        timeToExpire: seconds(spend.resetMs),
        isBlocked: true,
        timeToBlockExpire: Math.max(1, seconds(spend.retryAfterMs)),
      });
    }
    const requestContext = currentRequestContext();
    if (requestContext !== undefined) {
      // The other messages take the first unit; the calls share the rest, one each as they start.
      requestContext.toolCallAllowance = { remaining: spend.granted - other, retryAfterSeconds: Math.max(1, seconds(spend.retryAfterMs)) };
    }
    return true;
  }

  protected override shouldSkip(_context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(currentRequestContext()?.clientId === undefined);
  }

  protected override getTracker(): Promise<string> {
    return Promise.resolve(currentRequestContext()?.clientId ?? 'anonymous');
  }

  /** The counter of the caller's budget: keys and token clients never share one, whatever their names. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return callerCounter(currentRequestContext()?.via ?? 'key', tracker);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('X-RateLimit-Limit', String(detail.limit));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset', String(detail.timeToExpire));
    this.metrics.rateLimitHit(detail.tracker);
    throw AppError.rateLimited(detail.timeToBlockExpire);
  }
}

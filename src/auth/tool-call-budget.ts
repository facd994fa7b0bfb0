import { AsyncLocalStorage } from 'node:async_hooks';

import { Injectable } from '@nestjs/common';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { Metrics } from '../observability/metrics';

/**
 * The units an MCP request was granted for its tool calls (set by the rate-limit guard), spent one
 * per call as each call starts: calls of a batch beyond the grant get the `rate_limited` tool error.
 * Requests without such a grant (the REST mirrors spend their unit per request) pass through.
 */
@Injectable()
export class ToolCallBudget {
  private readonly prepaid = new AsyncLocalStorage<true>();

  constructor(private readonly metrics: Metrics) {}

  /**
   * Runs `work` as one call of the budget: one unit is taken now, and the tool calls `work` makes
   * take nothing more (a resource listing that runs every list tool is one request's worth).
   */
  async asOneCall<T>(work: () => Promise<T>): Promise<T> {
    this.take();
    return this.prepaid.run(true, work);
  }

  take(): void {
    if (this.prepaid.getStore() === true) {
      return;
    }
    const context = currentRequestContext();
    const allowance = context?.toolCallAllowance;
    if (context === undefined || allowance === undefined) {
      return;
    }
    if (allowance.remaining <= 0) {
      this.metrics.rateLimitHit(context.clientId ?? 'anonymous');
      throw AppError.rateLimited(allowance.retryAfterSeconds);
    }
    allowance.remaining -= 1;
  }
}

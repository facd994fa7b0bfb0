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
  constructor(private readonly metrics: Metrics) {}

  take(): void {
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

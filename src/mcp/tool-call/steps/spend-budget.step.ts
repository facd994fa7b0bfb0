import { Injectable } from '@nestjs/common';

import { AppError } from '../../../common/errors/app-error';
import { Metrics } from '../../../observability/metrics';
import { type NextStep, refused, type ToolCall, type ToolCallStep, type ToolOutcome } from '../tool-call';

/**
 * Spends one unit of the request's rate-limit grant as the call starts: calls of a batch beyond
 * the grant get the `rate_limited` tool error. Calls outside any request, or already paid for
 * (the further tools of one resource listing), pass.
 */
@Injectable()
export class SpendBudgetStep implements ToolCallStep {
  constructor(private readonly metrics: Metrics) {}

  run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const allowance = call.request?.toolCallAllowance;
    if (call.units === 0 || allowance === undefined) {
      return next(call);
    }
    if (allowance.remaining <= 0) {
      this.metrics.rateLimitHit(call.caller.clientId);
      return Promise.resolve(refused(AppError.rateLimited(allowance.retryAfterSeconds)));
    }
    allowance.remaining -= 1;
    return next(call);
  }
}

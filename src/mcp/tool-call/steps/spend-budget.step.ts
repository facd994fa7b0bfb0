import { Injectable } from '@nestjs/common';

import type { RequestContext } from '../../../common/context/request-context';
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
    const refusal = call.units === 0 ? undefined : this.spend(call.request, call.caller.clientId);
    return refusal === undefined ? next(call) : Promise.resolve(refused(refusal));
  }

  /** Spends one unit of the request's grant (a tool call, or a listing of a batch); the refusal when none is left. */
  spend(request: RequestContext | undefined, clientId: string): AppError | undefined {
    const allowance = request?.toolCallAllowance;
    if (allowance === undefined) {
      return undefined;
    }
    if (allowance.remaining <= 0) {
      this.metrics.rateLimitHit(clientId);
      return AppError.rateLimited(allowance.retryAfterSeconds);
    }
    allowance.remaining -= 1;
    return undefined;
  }
}

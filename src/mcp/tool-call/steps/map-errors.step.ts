import { Injectable } from '@nestjs/common';

import { cancelledError } from '../../../common/cancellation/call-signal';
import { toAppError } from '../../../common/errors/error-response';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/**
 * Turns whatever the steps below throw into a failed outcome: an AppError as it is, anything else
 * `internal_error`. A call whose caller left ends `cancelled`, however its work stopped (the
 * statement cancelled, the request aborted, or an answer nobody will read).
 */
@Injectable()
export class MapErrorsStep implements ToolCallStep {
  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    let outcome: ToolOutcome;
    try {
      outcome = await next(call);
    } catch (error) {
      outcome = { ok: false, error: toAppError(error) };
    }
    return call.signal.aborted ? { ok: false, error: cancelledError() } : outcome;
  }
}

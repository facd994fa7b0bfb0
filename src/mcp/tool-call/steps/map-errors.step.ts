import { Injectable } from '@nestjs/common';

import { toAppError } from '../../../common/errors/error-response';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/** Turns whatever the steps below throw into a failed outcome: an AppError as it is, anything else `internal_error`. */
@Injectable()
export class MapErrorsStep implements ToolCallStep {
  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    try {
      return await next(call);
    } catch (error) {
      return { ok: false, error: toAppError(error) };
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { fitToBudget } from '../result-budget';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/** Fits each answer into what is left of its request's result budget, which all calls of a batch share. */
@Injectable()
export class FitResultStep implements ToolCallStep {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const outcome = await next(call);
    if (!outcome.ok) {
      return outcome;
    }
    const { request } = call;
    const left = Math.min(this.config.maxResultBytes, request?.resultBytesLeft ?? this.config.maxResultBytes);
    const fitted = fitToBudget(outcome.output, left);
    if (request !== undefined) {
      request.resultBytesLeft = left - fitted.bytes;
    }
    return { ...outcome, output: fitted.output, json: fitted.json };
  }
}

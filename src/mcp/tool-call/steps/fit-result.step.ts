import { Inject, Injectable } from '@nestjs/common';

import type { RequestContext } from '../../../common/context/request-context';
import { AppError } from '../../../common/errors/app-error';
import { ErrorCode } from '../../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { fitToBudget } from '../result-budget';
import { type NextStep, refused, type ToolCall, type ToolCallStep, type ToolOutcome } from '../tool-call';

const kilobytes = (bytes: number): number => Math.ceil(bytes / 1024);

/**
 * Fits each answer into what is left of its request's result budget (MAX_RESULT_BYTES), which all
 * answers of a batch share: pages and document parts come cut shorter, anything else that cannot
 * fit is the `result_too_large` tool error, saying how to get the answer.
 */
@Injectable()
export class FitResultStep implements ToolCallStep {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const outcome = await next(call);
    if (!outcome.ok) {
      return outcome;
    }
    const { request } = call;
    const left = this.leftOf(request);
    const fit = fitToBudget(outcome.output, left);
    if (!fit.fits) {
      return refused(this.tooLarge(call.tool.name, fit.bytes, left));
    }
    if (request !== undefined) {
      request.resultBytesLeft = left - fit.bytes;
    }
    return { ...outcome, output: fit.output, json: fit.json };
  }

  /**
   * Charges an answer that cannot be cut (a `tools/list` listing) to the request's budget: it is
   * refused when earlier answers of the request left too little for it; the first answer of a
   * request always goes out whole, so a client can always list the tools.
   */
  chargeWhole(request: RequestContext | undefined, what: string, bytes: number): AppError | undefined {
    const left = this.leftOf(request);
    if (bytes > left && left < this.config.maxResultBytes) {
      return this.tooLarge(what, bytes, left);
    }
    if (request !== undefined) {
      request.resultBytesLeft = Math.max(0, left - bytes);
    }
    return undefined;
  }

  private leftOf(request: RequestContext | undefined): number {
    return Math.min(this.config.maxResultBytes, request?.resultBytesLeft ?? this.config.maxResultBytes);
  }

  private tooLarge(what: string, bytes: number, left: number): AppError {
    const budget = kilobytes(this.config.maxResultBytes);
    if (left < this.config.maxResultBytes) {
      return new AppError(
        ErrorCode.ResultTooLarge,
        `The answer of ${what} does not fit what earlier answers of this request left of its ${budget} kB result budget (${kilobytes(left)} kB): send the call in a request of its own`,
        { suggestions: ['Send fewer calls per batch, or narrow the call so its answer is smaller'] },
      );
    }
    return new AppError(ErrorCode.ResultTooLarge, `The answer of ${what} takes ${kilobytes(bytes)} kB, over the ${budget} kB result budget`, {
      suggestions: ['Ask for less: narrow the call with its filters, a shorter period (since/until), a smaller limit, or a part of a document (offset, max_chars)'],
    });
  }
}

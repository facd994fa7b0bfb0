import { Inject, Injectable } from '@nestjs/common';

import { ToolCallBudget } from '../auth/tool-call-budget';
import { type CachedAnswer, ResultCache } from '../cache/result-cache';
import { currentRequestContext, currentRequestId } from '../common/context/request-context';
import { toAppError } from '../common/errors/error-response';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ToolCallContext } from './catalog/mcp-tool.decorator';
import { type Fitted, fitToBudget } from './tool-call/result-budget';
import { ToolAuthorizer } from './tool-authorizer';
import { TOOL_CALL_OBSERVERS, type ToolCall, type ToolCallObserver, type ToolOutcome, type ToolSurface } from './tool-call-observer';
import type { ToolDefinition } from './catalog/tool-definition';
import { ToolInputValidator } from './tool-call/steps/validate-input.step';
import { ToolOutputValidator } from './tool-call/steps/validate-output.step';

/**
 * Runs every tool call, whichever surface it came from:
 * validate input → authorize → spend its rate-limit unit → run (or reuse a cached answer) → check output → keep it within the result budget → map errors →
 * notify observers (log, measure).
 * It never throws; failures come back as an outcome carrying an AppError.
 */
@Injectable()
export class ToolExecutor {
  constructor(
    private readonly validator: ToolInputValidator,
    private readonly outputs: ToolOutputValidator,
    private readonly authorizer: ToolAuthorizer,
    private readonly budget: ToolCallBudget,
    @Inject(TOOL_CALL_OBSERVERS) private readonly observers: readonly ToolCallObserver[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: ResultCache,
  ) {}

  async execute(tool: ToolDefinition, rawArgs: unknown, surface: ToolSurface): Promise<ToolOutcome> {
    const requestContext = currentRequestContext();
    if (requestContext !== undefined) {
      requestContext.tool = tool.name;
    }
    const call: ToolCall = { tool, surface, context: this.callContext() };
    const started = performance.now();
    for (const observer of this.observers) {
      observer.onStart?.(call);
    }
    let outcome: ToolOutcome;
    try {
      const input = await this.validator.validate(tool.input, rawArgs);
      this.authorizer.authorize(tool, call.context);
      this.budget.take();
      const answer = await this.answer(tool, input, call.context);
      const { output, json } = this.withinResultBudget(answer.output);
      outcome = { ok: true, output, json, freshForMs: answer.freshForMs };
    } catch (error) {
      outcome = { ok: false, error: toAppError(error) };
    }
    const durationMs = performance.now() - started;
    for (const observer of this.observers) {
      observer.onFinish(call, outcome, durationMs);
    }
    return outcome;
  }

  /** Runs the tool and checks its output, or reuses a checked output while the tool opts into the cache. */
  private async answer(tool: ToolDefinition, input: object, context: ToolCallContext): Promise<CachedAnswer> {
    const run = async (): Promise<object> => {
      const output = await tool.handler(input, context);
      this.outputs.check(tool, output);
      return output;
    };
    if (tool.cache !== true) {
      return { output: await run(), freshForMs: undefined };
    }
    return this.cache.through({ tool: tool.name, version: tool.version, input, roles: context.roles }, run);
  }

  /** Fits an answer into what is left of its request's result budget, which all calls of a batch share. */
  private withinResultBudget(output: object): Fitted<object> {
    const context = currentRequestContext();
    const left = Math.min(this.config.maxResultBytes, context?.resultBytesLeft ?? this.config.maxResultBytes);
    const fitted = fitToBudget(output, left);
    if (context !== undefined) {
      context.resultBytesLeft = left - fitted.bytes;
    }
    return fitted;
  }

  private callContext(): ToolCallContext {
    const context = currentRequestContext();
    return {
      requestId: context?.requestId ?? currentRequestId(),
      clientId: context?.clientId ?? 'anonymous',
      roles: context?.roles ?? [],
      userId: context?.userId,
    };
  }
}

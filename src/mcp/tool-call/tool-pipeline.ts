import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

import { NEVER_CANCELLED, runWithCallSignal } from '../../common/cancellation/call-signal';
import { currentRequestContext } from '../../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Tracing } from '../../observability/tracing/tracing';
import type { ToolDefinition } from '../catalog/tool-definition';
import { AuthorizeStep } from './steps/authorize.step';
import { CacheStep } from './steps/cache.step';
import { FitResultStep } from './steps/fit-result.step';
import { MapErrorsStep } from './steps/map-errors.step';
import { ObserveStep } from './steps/observe.step';
import { SpendBudgetStep } from './steps/spend-budget.step';
import { TraceStep } from './steps/trace.step';
import { ValidateInputStep } from './steps/validate-input.step';
import { ValidateOutputStep } from './steps/validate-output.step';
import type { NextStep, ToolCall, ToolCallOrigin, ToolCallStep, ToolOutcome, ToolSurface } from './tool-call';

/**
 * The whole order of a tool call, outermost first; the tool's handler runs inside the last step.
 * A step whose feature is off is not in the list, so it costs nothing per call.
 */
export function toolCallSteps(features: { tracing: boolean; resultCache: boolean }): readonly Type<ToolCallStep>[] {
  return [
    ...(features.tracing ? [TraceStep] : []), // the tool span
    ObserveStep, // the tool's log lines, metrics and audit record
    MapErrorsStep, // anything thrown below becomes a failed outcome, which the steps above report
    FitResultStep, // the answer within the request's result budget
    ValidateInputStep, // raw arguments → the tool's input DTO
    AuthorizeStep, // the caller's roles: the tool, and the fields of its answer
    SpendBudgetStep, // one unit of the request's rate-limit grant
    ...(features.resultCache ? [CacheStep] : []), // a fresh answer of the same call, if kept
    ValidateOutputStep, // the output against the tool's declared schema
  ];
}

export const ALL_TOOL_CALL_STEPS: readonly Type<ToolCallStep>[] = toolCallSteps({ tracing: true, resultCache: true });

// The handler runs with its call's signal in async-local context, where the gateway and the HTTP clients read it.
const runHandler: NextStep = async (call) => ({ ok: true, output: await runWithCallSignal(call.signal, () => call.tool.handler(call.args as object, call.caller)) });

/** Where to run a call from: its surface and the request kind; `units: 0` for a call already paid for. */
export interface CallSite {
  readonly surface: ToolSurface;
  readonly origin: ToolCallOrigin;
  readonly units?: 0 | 1;
}

/**
 * Runs every tool call, whichever surface asked, through the steps above, assembled once at start.
 * It never throws; failures come back as an outcome carrying an AppError, for the surface to translate.
 */
@Injectable()
export class ToolPipeline implements OnModuleInit {
  private chain: NextStep = runHandler;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracing: Tracing,
  ) {}

  onModuleInit(): void {
    const steps = toolCallSteps({ tracing: this.tracing.enabled, resultCache: this.config.resultCacheTtlMs > 0 }).map((type) => this.moduleRef.get(type));
    this.chain = steps.reduceRight<NextStep>((next, step) => (call) => step.run(call, next), runHandler);
  }

  run(tool: ToolDefinition, args: unknown, site: CallSite): Promise<ToolOutcome> {
    const request = currentRequestContext();
    const signal = request?.cancellation ?? NEVER_CANCELLED;
    const call: ToolCall = {
      tool,
      args,
      surface: site.surface,
      origin: site.origin,
      units: site.units ?? 1,
      request,
      signal,
      caller: { clientId: request?.clientId ?? 'anonymous', roles: request?.roles ?? [], userId: request?.userId, signal },
    };
    return this.chain(call);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';

import { ErrorCode } from '../../../common/errors/error-code';
import { Metrics } from '../../../observability/metrics';
import { linesOf, ROOT_LOGGER } from '../../../observability/root-logger';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/**
 * What every call reports: its entry, exit and failure log lines (internal failures with their
 * cause, a cancelled call one `tool_call_cancelled` line), its count and duration, and its record
 * for the request's audit line (refused and why, or cancelled).
 */
@Injectable()
export class ObserveStep implements ToolCallStep {
  private readonly lines: PinoLogger;

  constructor(
    private readonly metrics: Metrics,
    @Inject(ROOT_LOGGER) root: PinoLogger,
  ) {
    this.lines = linesOf(root, 'ToolCall');
  }

  run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const observed = this.observe(call, next);
    const running = call.request === undefined ? undefined : (call.request.callsRunning ??= new Set());
    if (running === undefined) {
      return observed;
    }
    // Among the request's running calls until its record has joined `calls`.
    running.add(observed);
    return observed.finally(() => running.delete(observed));
  }

  private async observe(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const { tool } = call;
    const fields = { tool_name: tool.name, tool_version: tool.version, client_id: call.caller.clientId, user_id: call.caller.userId ?? null, surface: call.surface };
    this.lines.info({ ...fields, event: 'tool_call_start' }, `${tool.name} called`);
    const started = performance.now();
    const outcome = await next(call);
    const durationMs = performance.now() - started;
    const line = { ...fields, latency_ms: Math.round(durationMs * 1000) / 1000 };
    if (outcome.ok) {
      this.lines.info({ ...line, status: 'ok', event: 'tool_call_end' }, `${tool.name} succeeded`);
    } else if (outcome.error.code === ErrorCode.Cancelled) {
      this.lines.info({ ...line, status: outcome.error.code, event: 'tool_call_cancelled' }, `${tool.name} cancelled: the client left before the answer`);
      this.metrics.toolCallCancelled(tool.name);
    } else if (outcome.error.code === ErrorCode.Internal) {
      this.lines.error({ ...line, status: outcome.error.code, event: 'tool_call_error', err: outcome.error.cause }, `${tool.name} failed`);
    } else {
      this.lines.warn({ ...line, status: outcome.error.code, event: 'tool_call_error', error: outcome.error.message }, `${tool.name} failed`);
    }
    this.metrics.toolCall(tool.name, outcome.ok ? 'ok' : outcome.error.code, durationMs / 1000);
    if (call.request !== undefined) {
      const refusal = outcome.ok || outcome.error.refusal === undefined ? undefined : { reason: outcome.error.refusal };
      const cancelled = !outcome.ok && outcome.error.code === ErrorCode.Cancelled;
      (call.request.calls ??= []).push({ tool: tool.name, refusal, cancelled });
    }
    return outcome;
  }
}

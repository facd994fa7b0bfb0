import { Injectable } from '@nestjs/common';

import type { ToolCall, ToolCallObserver, ToolOutcome } from '../mcp/tool-call-observer';
import { Metrics } from './metrics';

/** Counts and times every tool call, from either surface. */
@Injectable()
export class ToolMetricsObserver implements ToolCallObserver {
  constructor(private readonly metrics: Metrics) {}

  onFinish(call: ToolCall, outcome: ToolOutcome, durationMs: number): void {
    this.metrics.toolCall(call.tool.name, outcome.ok ? 'ok' : outcome.error.code, durationMs / 1000);
  }
}

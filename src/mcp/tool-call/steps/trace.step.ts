import { Injectable } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';

import { Tracing } from '../../../observability/tracing/tracing';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/**
 * The tool span, on every surface: `execute_tool {tool}` (the GenAI conventions' name), child of
 * the request's span, with the squad-api requests and SQL statements of the call under it.
 */
@Injectable()
export class TraceStep implements ToolCallStep {
  constructor(private readonly tracing: Tracing) {}

  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const span = this.tracing.start({
      name: `execute_tool ${call.tool.name}`,
      kind: SpanKind.INTERNAL,
      attributes: { 'gen_ai.tool.name': call.tool.name, 'gen_ai.operation.name': 'execute_tool', 'mcp.method.name': call.origin },
    });
    const outcome = await this.tracing.within(span, () => next(call));
    Tracing.end(span, outcome.ok ? undefined : outcome.error.code);
    return outcome;
  }
}

import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '../common/errors/error-code';
import type { ToolCall, ToolCallObserver, ToolOutcome } from './tool-call-observer';

/** Logs the entry, exit and failure of every tool call; internal failures carry their cause. */
@Injectable()
export class ToolCallLogger implements ToolCallObserver {
  private readonly logger = new Logger('ToolCall');

  onStart(call: ToolCall): void {
    this.logger.log({ ...this.fields(call), event: 'tool_call_start' }, `${call.tool.name} called`);
  }

  onFinish(call: ToolCall, outcome: ToolOutcome, durationMs: number): void {
    const fields = { ...this.fields(call), latency_ms: Math.round(durationMs * 1000) / 1000 };
    if (outcome.ok) {
      this.logger.log({ ...fields, status: 'ok', event: 'tool_call_end' }, `${call.tool.name} succeeded`);
      return;
    }
    const { error } = outcome;
    const line = { ...fields, status: error.code, event: 'tool_call_error' };
    if (error.code === ErrorCode.Internal) {
      this.logger.error({ ...line, err: error.cause }, `${call.tool.name} failed`);
    } else {
      this.logger.warn({ ...line, error: error.message }, `${call.tool.name} failed`);
    }
  }

  private fields(call: ToolCall): Record<string, unknown> {
    return {
      tool_name: call.tool.name,
      tool_version: call.tool.version,
      client_id: call.context.clientId,
      user_id: call.context.userId ?? null,
      surface: call.surface,
    };
  }
}

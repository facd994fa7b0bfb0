import type { AppError } from '../common/errors/app-error';
import type { ToolCallContext } from './catalog/mcp-tool.decorator';
import type { ToolDefinition } from './catalog/tool-definition';

export type ToolSurface = 'mcp' | 'rest';

export interface ToolCall {
  readonly tool: ToolDefinition;
  readonly surface: ToolSurface;
  readonly context: ToolCallContext;
}

/** `freshForMs`: how much longer a cached tool's answer stays valid, for clients that can cache it too. */
export type ToolOutcome =
  | { readonly ok: true; readonly output: object; readonly json: string; readonly freshForMs?: number }
  | { readonly ok: false; readonly error: AppError };

/**
 * A seam of the executor: observers see every call from either surface, so logging,
 * metrics and auditing plug in here rather than into one controller.
 */
export interface ToolCallObserver {
  onStart?(call: ToolCall): void;
  onFinish(call: ToolCall, outcome: ToolOutcome, durationMs: number): void;
}

export const TOOL_CALL_OBSERVERS = Symbol('TOOL_CALL_OBSERVERS');

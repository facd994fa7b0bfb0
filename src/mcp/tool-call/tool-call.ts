import type { RequestContext } from '../../common/context/request-context';
import type { AppError } from '../../common/errors/app-error';
import type { ToolCallContext } from '../catalog/mcp-tool.decorator';
import type { ToolDefinition } from '../catalog/tool-definition';

/** The surface a call came in on. */
export type ToolSurface = 'mcp' | 'rest';

/** The kind of request that runs the tool: a call, or a resource or completion answered by one. */
export type ToolCallOrigin = 'tools/call' | 'resources/read' | 'resources/list' | 'completion/complete';

/** One tool call as it travels down the pipeline; steps pass on a copy when they change it. */
export interface ToolCall {
  readonly tool: ToolDefinition;
  /** The arguments as received, until the input step replaces them with the validated input. */
  readonly args: unknown;
  readonly surface: ToolSurface;
  readonly origin: ToolCallOrigin;
  readonly caller: ToolCallContext;
  /** Units of the request's rate-limit grant the call spends: 0 for the further tools of one resource listing. */
  readonly units: 0 | 1;
  /** The request the call belongs to; undefined for work outside any request. */
  readonly request: RequestContext | undefined;
  /**
   * Aborts when the caller has left (its request's client closed the stream or connection): the
   * handler's SQL statement, squad-api and embeddings requests stop, and the call ends `cancelled`.
   */
  readonly signal: AbortSignal;
}

/**
 * How a client may reuse an answer, set by the cache step: for how much longer, and whether only
 * for the same authorization context (`private`: the answer may vary with the user, the roles or
 * what the roles may call) or for anyone (`public`).
 */
export interface Reuse {
  readonly freshForMs: number;
  readonly scope: 'public' | 'private';
}

/** What a call came to. `json` is the output as the answer carries it (set by the result-budget step). */
export type ToolOutcome =
  | { readonly ok: true; readonly output: object; readonly json?: string; readonly reuse?: Reuse }
  | { readonly ok: false; readonly error: AppError };

export type NextStep = (call: ToolCall) => Promise<ToolOutcome>;

/** One concern of every tool call, with the shape of an interceptor: it may act before, after or instead of the rest. */
export interface ToolCallStep {
  run(call: ToolCall, next: NextStep): Promise<ToolOutcome>;
}

export const refused = (error: AppError): ToolOutcome => ({ ok: false, error });

import type { Request } from 'express';

/** What one POST /mcp asks of the budget: its tool calls (direct or through a resource or completion), and whether anything else rides along. */
export interface McpDemand {
  readonly toolCalls: number;
  readonly otherMessages: boolean;
}

/** The requests that run a tool: calls themselves, resource reads and listings, and argument completions. */
const TOOL_RUNNING_METHODS: ReadonlySet<unknown> = new Set(['tools/call', 'resources/read', 'resources/list', 'completion/complete']);

function isToolCall(message: unknown): boolean {
  return typeof message === 'object' && message !== null && TOOL_RUNNING_METHODS.has((message as { method?: unknown }).method);
}

/** The demand of an MCP request (one message or a batch); undefined for any other route. */
export function mcpDemandOf(req: Request): McpDemand | undefined {
  if (req.method !== 'POST' || req.path !== '/mcp') {
    return undefined;
  }
  const body: unknown = req.body;
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const toolCalls = messages.filter(isToolCall).length;
  return { toolCalls, otherMessages: toolCalls < messages.length };
}

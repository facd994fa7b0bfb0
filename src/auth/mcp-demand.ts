import type { Request } from 'express';

/** What one POST /mcp asks of the budget: its tool calls, and whether anything else rides along. */
export interface McpDemand {
  readonly toolCalls: number;
  readonly otherMessages: boolean;
}

function isToolCall(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'tools/call';
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

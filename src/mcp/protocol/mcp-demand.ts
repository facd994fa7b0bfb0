import type { Request } from 'express';

import type { RequestDemand } from '../../auth/rate-limit-demand';

/** The requests that run a tool: calls themselves, resource reads and listings, and argument completions. */
const TOOL_RUNNING_METHODS: ReadonlySet<unknown> = new Set(['tools/call', 'resources/read', 'resources/list', 'completion/complete']);

function runsTool(message: unknown): boolean {
  return typeof message === 'object' && message !== null && TOOL_RUNNING_METHODS.has((message as { method?: unknown }).method);
}

/** What one POST /mcp (one message or a batch) asks of the rate limit: a unit per message that runs a tool, one for the rest. */
export function mcpDemandOf(req: Request): RequestDemand {
  const body: unknown = req.body;
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const toolCalls = messages.filter(runsTool).length;
  return { toolCalls, otherMessages: toolCalls < messages.length };
}

import type { Request } from 'express';

import { NOTHING, type RequestDemand } from '../../auth/rate-limit-demand';
import { protocolCheckOf } from './mcp-protocol-check';

/**
 * The requests that cost a unit each: those that run a tool (calls themselves, resource reads and
 * listings, argument completions) and tool listings, so a batch of listings costs one per listing.
 */
const UNIT_METHODS: ReadonlySet<unknown> = new Set(['tools/call', 'resources/read', 'resources/list', 'completion/complete', 'tools/list']);

function costsUnit(message: unknown): boolean {
  return typeof message === 'object' && message !== null && UNIT_METHODS.has((message as { method?: unknown }).method);
}

/**
 * What one POST /mcp (one message or a batch) asks of the rate limit: a unit per message that runs
 * a tool or lists them, one for the rest; nothing for a request the protocol check will refuse unrun.
 */
export function mcpDemandOf(req: Request): RequestDemand {
  const body: unknown = req.body;
  if (protocolCheckOf(req) !== undefined) {
    return NOTHING;
  }
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const toolCalls = messages.filter(costsUnit).length;
  return { toolCalls, otherMessages: toolCalls < messages.length };
}

import type { CacheHint, CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';

import type { Reuse } from '../tool-call/tool-call';

/** Where a 2026-07-28 tool result says how long it may be reused. */
export const CACHE_META_KEY = 'squad-mcp/cache';

const FIRST_ERA_WITH_CACHE_HINTS = '2026-07-28';

/** Whether the request came from a client on a protocol revision that speaks of cache hints. */
function speaksCacheHints(ctx: ServerContext): boolean {
  const envelope: Record<string, unknown> | undefined = ctx.mcpReq.envelope;
  const version = envelope?.[PROTOCOL_VERSION_META_KEY];
  return typeof version === 'string' && version >= FIRST_ERA_WITH_CACHE_HINTS;
}

/**
 * Adds the answer's remaining lifetime to a successful result, for 2026-07-28 clients only, in
 * the protocol's own cache-hint vocabulary. That revision defines `ttlMs`/`cacheScope` for list
 * results and resource reads, not for tool calls, so the hint rides in `_meta`; 2025-era results
 * stay exactly as they were. The scope is the cache step's: private wherever the answer may vary
 * with the caller.
 */
export function withCacheHint(result: CallToolResult, reuse: Reuse | undefined, ctx: ServerContext): CallToolResult {
  if (reuse === undefined || result.isError === true || !speaksCacheHints(ctx)) {
    return result;
  }
  const hint: CacheHint = { ttlMs: Math.max(0, Math.floor(reuse.freshForMs)), cacheScope: reuse.scope };
  return { ...result, _meta: { ...result._meta, [CACHE_META_KEY]: hint } };
}

import type { CacheHint, CallToolResult } from '@modelcontextprotocol/server';

import type { Reuse } from '../tool-call/tool-call';

/** Where a 2026-07-28 tool result says how long it may be reused. */
export const CACHE_META_KEY = 'squad-mcp/cache';

const FIRST_ERA_WITH_CACHE_HINTS = '2026-07-28';

/** Whether the client's protocol revision (from the request's envelope; none in the 2025 era) speaks of cache hints. */
function speaksCacheHints(protocolVersion: string | undefined): boolean {
  return protocolVersion !== undefined && protocolVersion >= FIRST_ERA_WITH_CACHE_HINTS;
}

/**
 * Adds the answer's remaining lifetime to a successful result, for 2026-07-28 clients only, in
 * the protocol's own cache-hint vocabulary. That revision defines `ttlMs`/`cacheScope` for list
 * results and resource reads, not for tool calls, so the hint rides in `_meta`; 2025-era results
 * stay exactly as they were. The scope is the cache step's: private wherever the answer may vary
 * with the caller.
 */
export function withCacheHint(result: CallToolResult, reuse: Reuse | undefined, protocolVersion: string | undefined): CallToolResult {
  if (reuse === undefined || result.isError === true || !speaksCacheHints(protocolVersion)) {
    return result;
  }
  const hint: CacheHint = { ttlMs: Math.max(0, Math.floor(reuse.freshForMs)), cacheScope: reuse.scope };
  return { ...result, _meta: { ...result._meta, [CACHE_META_KEY]: hint } };
}

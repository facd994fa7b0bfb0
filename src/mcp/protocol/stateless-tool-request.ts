import type { IncomingMessage } from 'node:http';

/** The one revision whose requests stand alone (stateless, one JSON answer per POST). */
export const STATELESS_REVISION = '2026-07-28';

/**
 * Whether a request's headers say it is a 2026-07-28 `tools/call` or `tools/list`: the requests
 * the direct dispatcher may answer. The dispatcher still checks the body against them.
 */
export function isStatelessToolRequest(req: IncomingMessage): boolean {
  const method = req.headers['mcp-method'];
  return req.method === 'POST' && req.headers['mcp-protocol-version'] === STATELESS_REVISION && (method === 'tools/call' || method === 'tools/list');
}

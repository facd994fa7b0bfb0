import type { Request } from 'express';

/** The caller's address: the connection's, or what X-Forwarded-For says through the TRUST_PROXY hops. */
export function clientAddressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

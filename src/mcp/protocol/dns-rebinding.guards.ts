import { localhostAllowedHostnames, localhostAllowedOrigins, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { AppConfig } from '../../config/app-config';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function refuseUnless(allowed: (req: Request) => boolean, message: string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(allowed(req) ? undefined : new AppError(ErrorCode.Forbidden, message));
  };
}

/** Whether `/mcp` answers a request carrying this Host header: the configured list, or localhost-only on a loopback bind. */
export function mcpHostAllowed(config: AppConfig): (host: string | undefined) => boolean {
  const hosts = config.mcpAllowedHosts.length > 0 ? [...config.mcpAllowedHosts] : LOOPBACK_HOSTS.has(config.host) ? localhostAllowedHostnames() : undefined;
  return (host) => hosts === undefined || validateHostHeader(host, hosts).ok;
}

/**
 * DNS-rebinding protection for `/mcp`: the configured Host and Origin lists, or localhost-only on a
 * loopback bind. Refusals take the common error path (a SPEC §5 403), naming neither header's value.
 */
export function dnsRebindingGuards(config: AppConfig): RequestHandler[] {
  const loopback = LOOPBACK_HOSTS.has(config.host);
  const hostAllowed = mcpHostAllowed(config);
  const guards: RequestHandler[] = [refuseUnless((req) => hostAllowed(req.headers.host), 'Host header not allowed')];
  // Without a list, only localhost pages (on a loopback bind) or callers sending no Origin get through.
  const origins = config.mcpAllowedOrigins.length > 0 ? [...config.mcpAllowedOrigins] : loopback ? localhostAllowedOrigins() : [];
  guards.push(refuseUnless((req) => validateOriginHeader(req.headers.origin, origins).ok, 'Origin not allowed'));
  return guards;
}

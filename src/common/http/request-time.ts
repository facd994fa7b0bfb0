import type { Server } from 'node:http';

import type { Request, RequestHandler } from 'express';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';

/** The two bounds on how long a request may take to arrive. */
export interface RequestTimeBounds {
  /** For a request that carries credentials worth reading a body for. */
  readonly credentialedMs: number;
  /** For headers (nothing is known of the caller yet) and the body of any other request. */
  readonly unauthenticatedMs: number;
}

/**
 * Node's own bounds: headers within the short bound, the whole request within the long one, checked
 * often enough to hold them closely. Node answers a breach with a bare 408 and closes the connection.
 */
export function boundRequestTime(server: Server, bounds: RequestTimeBounds): void {
  const headersMs = Math.min(bounds.unauthenticatedMs, bounds.credentialedMs);
  server.headersTimeout = headersMs;
  // A backstop behind the body bound below, which answers with the common body first.
  server.requestTimeout = Math.max(headersMs, bounds.credentialedMs) + 1000;
  // A creation option in the typings, but a property Node reads when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(100, Math.min(1000, Math.floor(headersMs / 4)));
}

/**
 * Bounds the time a body parser may wait for the body: the long bound when `credentialed(req)`,
 * the short one otherwise. On a breach the request is refused with 408 `request_timeout` through
 * the common error path, and the connection is closed once that answer is out (the rest of the
 * body never needs reading).
 */
export function withinRequestTime(parser: RequestHandler, bounds: RequestTimeBounds, credentialed: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    let settled = false;
    const settle = (error?: unknown): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        next(error);
      }
    };
    const boundMs = credentialed(req) ? bounds.credentialedMs : Math.min(bounds.unauthenticatedMs, bounds.credentialedMs);
    const timer = setTimeout(() => {
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      settle(new AppError(ErrorCode.RequestTimeout, `Request body not received within ${boundMs / 1000} s`));
    }, boundMs);
    parser(req, res, settle);
  };
}

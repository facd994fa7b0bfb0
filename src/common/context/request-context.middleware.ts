import type { NextFunction, Request, Response } from 'express';

import { acceptRequestId, runWithRequestContext } from './request-context';

export const REQUEST_ID_HEADER = 'X-Request-ID';

const requestIds = new WeakMap<Request, string>();

/**
 * Gives the request its id (once) and echoes it on the response. Idempotent, so the
 * exception filter can call it for requests that failed before the context opened.
 */
export function bindRequestId(req: Request, res: Response): string {
  let requestId = requestIds.get(req);
  if (requestId === undefined) {
    requestId = acceptRequestId(req.header(REQUEST_ID_HEADER));
    requestIds.set(req, requestId);
    res.setHeader(REQUEST_ID_HEADER, requestId);
  }
  return requestId;
}

/** Opens the request's async-local context; mounted right after body parsing. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  runWithRequestContext({ requestId: bindRequestId(req, res) }, next);
}

import type { Request, RequestHandler, Response } from 'express';

import { cancelledWhenClientLeaves } from '../http/client-gone';
import { acceptRequestId, type RequestContext, runWithRequestContext } from './request-context';

export const REQUEST_ID_HEADER = 'X-Request-ID';

const requestIds = new WeakMap<Request, string>();
const contexts = new WeakMap<Request, RequestContext>();

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

/** The request's context, opened on first use; the same object for the whole request. */
export function requestContextOf(req: Request, res: Response): RequestContext {
  let context = contexts.get(req);
  if (context === undefined) {
    context = { requestId: bindRequestId(req, res), cancellation: cancelledWhenClientLeaves(req, res) };
    contexts.set(req, context);
  }
  return context;
}

/**
 * Opens the request's async-local context, so the rest of the chain reads it through
 * `currentRequestContext()`. Mounted once, first.
 */
export const requestContextMiddleware: RequestHandler = (req, res, next) => {
  runWithRequestContext(requestContextOf(req, res), next);
};

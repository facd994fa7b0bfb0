import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

import { capped } from '../../common/util/echo';
import { connectionAttributes, withConnection } from './connection-attributes';
import { Tracing } from './tracing';

/** Paths are the caller's choice: what a span keeps of one is bounded. */
const MAX_PATH_CHARS = 256;

/**
 * The HTTP server span of each request on the traced routes, child of the caller's `traceparent`.
 * It is named by the route template once the route is known (`POST /v1/mcp/:tool`), and the spans
 * the request opens (MCP, tool, squad-api, SQL) are its children. It carries the connection's
 * protocol, transport and client address.
 */
export function httpServerSpans(tracing: Tracing): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const connection = connectionAttributes(req);
    const span = tracing.start({
      name: req.method,
      kind: SpanKind.SERVER,
      parent: tracing.remoteParent(req.headers) ?? ROOT_CONTEXT,
      attributes: {
        'http.request.method': req.method,
        'url.path': capped(req.path, MAX_PATH_CHARS),
        'url.scheme': req.protocol,
        ...connection,
      },
    });
    tracing.markRequest(span);
    res.once('close', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route !== undefined) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      // A refusal (4xx) is the server doing its job; only a 5xx or a cut connection is the server's failure.
      const failed = res.statusCode >= 500 ? String(res.statusCode) : res.writableFinished ? undefined : 'connection_closed';
      Tracing.end(span, failed);
    });
    // The MCP server spans opened under this one say the same about the connection.
    tracing.within(span, next, (context) => withConnection(context, connection));
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';

import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

import { bindRequestId } from '../common/context/request-context.middleware';
import { routeTemplateOf } from '../common/http/route-template';

const QUIET_PATHS = ['/health/live', '/metrics'];
// The protected routes: each request's line is its audit line, which carries the request line's
// fields, and their log lines take the request id from the request context, so they need no
// per-request logger at all.
const AUDITED_ROUTES = ['mcp', 'v1/*path', 'admin/*path'].map((path) => ({ path, method: RequestMethod.ALL }));

/**
 * nestjs-pino over the root logger: Nest's own logs, `PinoLogger` injections and one
 * "request completed" line per HTTP request, without headers or bodies (for the protected routes,
 * the audit line is that line).
 */
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            genReqId: (req: IncomingMessage, res: ServerResponse) => bindRequestId(req as Request, res as Response),
            autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.includes((req.url ?? '').split('?')[0] ?? '') },
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'request_id', responseTime: 'latency_ms' },
            customSuccessMessage: (req, res) => `${req.method ?? ''} ${routeTemplateOf(req as Request)} ${res.statusCode}`,
            customErrorMessage: (req, res) => `${req.method ?? ''} ${routeTemplateOf(req as Request)} ${res.statusCode}`,
            customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
            // The cause of a 5xx is logged where it happened, under the same request id; no synthetic stack here.
            customErrorObject: (_req, _res, _error, value: Record<string, unknown>) => {
              const { err: _err, ...rest } = value;
              return rest;
            },
            serializers: {
              req: (req: { method?: string; url?: string }) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
              res: (res: { statusCode?: number }) => ({ status_code: res.statusCode }),
            },
          },
          exclude: AUDITED_ROUTES,
        }),
      ],
    };
  }
}

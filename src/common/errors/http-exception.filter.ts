import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

import { type RequestContext, runWithRequestContext } from '../context/request-context';
import { requestContextOf } from '../context/request-context.middleware';
import { methodsServedAt } from '../http/route-methods';
import { AppError } from './app-error';
import { ERROR_KINDS, ErrorCode } from './error-code';
import { toAppError, toErrorResponse } from './error-response';

/** The refusal of a body that is not a JSON object or array, however it was read. */
export function invalidJsonBody(): AppError {
  return new AppError(ErrorCode.InvalidInput, 'Request body is not valid JSON');
}

const FRAMEWORK_FAILURES: ReadonlyMap<number, () => AppError> = new Map([
  [400, invalidJsonBody],
  [413, () => new AppError(ErrorCode.PayloadTooLarge)],
  [415, () => new AppError(ErrorCode.UnsupportedMediaType)],
]);

/** A path that exists answers a method it does not serve with 405 and `Allow`; an unknown path is a 404. */
function routeFailure(req: Request): AppError {
  const allowedMethods = methodsServedAt(req);
  return allowedMethods.length === 0
    ? new AppError(ErrorCode.NotFound, 'Route not found')
    : new AppError(ErrorCode.MethodNotAllowed, `${req.method} is not served here; use ${allowedMethods.join(' or ')}`, { allowedMethods });
}

/** Translates framework-level HTTP failures (routing, body parsing) into the closed vocabulary. */
export function fromHttpFailure(error: unknown, req: Request): AppError {
  if (error instanceof AppError) {
    return error;
  }
  // Nest wraps what middleware (the body parser's verify hook) rejects with; the AppError is the cause.
  if (error instanceof HttpException && error.cause instanceof AppError) {
    return error.cause;
  }
  // The router decodes path parameters and throws on bad percent-encoding (Nest wraps it in a 400):
  // the path is at fault, not the body.
  if (error instanceof HttpException && error.cause instanceof URIError) {
    return AppError.invalidInput([], 'Malformed request path: it is not valid percent-encoding');
  }
  const status = error instanceof HttpException ? error.getStatus() : statusOfParserError(error);
  if (status === 404) {
    return routeFailure(req);
  }
  return (status === undefined ? undefined : FRAMEWORK_FAILURES.get(status)?.()) ?? toAppError(error);
}

function statusOfParserError(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}

/**
 * The HTTP edge of the error model, and the one path of every refusal: whatever failed (routing,
 * method, body parsing, media type, Host/Origin, keys, roles, limits, a tool on the REST mirror),
 * the caller gets a SPEC §5 body with the request id, the log gets one line and the audit one event.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const context = requestContextOf(req, res);
    runWithRequestContext(context, () => {
      this.answer(fromHttpFailure(exception, req), req, res, context);
    });
  }

  private answer(error: AppError, req: Request, res: Response, context: RequestContext): void {
    if (error.code === ErrorCode.Internal) {
      this.logger.error({ event: 'request_failed', err: error.cause }, 'Unhandled request failure');
    } else if (context.calls === undefined) {
      // A tool's own failure was logged by the tool call; anything else was refused before a tool ran.
      this.logger.log(
        { event: 'request_refused', code: error.code, method: req.method, path: req.path, status_code: ERROR_KINDS[error.code].httpStatus },
        `request refused: ${error.code}`,
      );
    }
    // A refusal names its reason; anything else refused before the caller was let in is a refusal by its code.
    const reason = error.refusal ?? (context.via === undefined ? error.code : undefined);
    if (reason !== undefined) {
      context.refusal ??= { reason };
    }
    const { httpStatus, body, headers } = toErrorResponse(error, context.requestId);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(httpStatus).set(headers).json(body);
  }
}

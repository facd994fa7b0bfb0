import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

import { currentRequestContext, runWithRequestContext } from '../context/request-context';
import { bindRequestId } from '../context/request-context.middleware';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import { toErrorResponse } from './error-response';

const FRAMEWORK_FAILURES: ReadonlyMap<number, () => AppError> = new Map([
  [400, () => new AppError(ErrorCode.InvalidInput, 'Request body is not valid JSON')],
  [404, () => new AppError(ErrorCode.NotFound, 'Route not found')],
  [413, () => new AppError(ErrorCode.PayloadTooLarge)],
  [415, () => new AppError(ErrorCode.InvalidInput, 'Content-Type must be application/json')],
]);

/** Translates framework-level HTTP failures (routing, body parsing) into the closed vocabulary. */
function fromHttpFailure(error: unknown): AppError | undefined {
  if (error instanceof AppError) {
    return error;
  }
  const status = error instanceof HttpException ? error.getStatus() : statusOfParserError(error);
  return status === undefined ? undefined : FRAMEWORK_FAILURES.get(status)?.();
}

function statusOfParserError(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}

/** The HTTP edge of the error model: every failure leaves as a SPEC §5 body. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const requestId = bindRequestId(req, res);
    const appError = fromHttpFailure(exception);
    if (appError === undefined || appError.code === ErrorCode.Internal) {
      const log = (): void => {
        this.logger.error({ err: appError?.cause ?? exception }, 'Unhandled request failure');
      };
      // Failures before the request context opened (body parsing) still log under the request's id.
      if (currentRequestContext() === undefined) {
        runWithRequestContext({ requestId }, log);
      } else {
        log();
      }
    }
    const { httpStatus, body, headers } = toErrorResponse(appError ?? exception, requestId);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(httpStatus).set(headers).json(body);
  }
}

import { AppError } from './app-error';
import type { ErrorBodyDto } from './error-body.dto';
import { ERROR_KINDS,ErrorCode } from './error-code';

export interface ErrorResponse {
  readonly httpStatus: number;
  readonly body: ErrorBodyDto;
  readonly headers: Readonly<Record<string, string>>;
}

/** Anything that is not an AppError is internal: its text never leaves the process. */
export function toAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError(ErrorCode.Internal, undefined, { cause: error });
}

/** The single mapping from an error to what a caller sees, shared by the REST and MCP surfaces. */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const appError = toAppError(error);
  const kind = ERROR_KINDS[appError.code];
  const body: ErrorBodyDto = {
    error: appError.message,
    status: kind.status,
    code: appError.code,
    request_id: requestId,
    details: appError.details.map(({ field, message }) => ({ field, message })),
    suggestions: [...appError.suggestions],
  };
  const headers: Record<string, string> = {};
  if (appError.challenge !== undefined) {
    headers['WWW-Authenticate'] = appError.challenge;
  } else if (appError.code === ErrorCode.Unauthorized) {
    headers['WWW-Authenticate'] = 'Bearer';
  }
  if (appError.allowedMethods.length > 0) {
    headers.Allow = appError.allowedMethods.join(', ');
  }
  if (appError.retryAfterSeconds !== undefined) {
    body.retry_after_seconds = appError.retryAfterSeconds;
    headers['Retry-After'] = String(appError.retryAfterSeconds);
  }
  return { httpStatus: kind.httpStatus, body, headers };
}

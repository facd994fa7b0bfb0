/** The closed vocabulary of failures every surface can report (SPEC §5). */
export enum ErrorCode {
  InvalidInput = 'invalid_input',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  MethodNotAllowed = 'method_not_allowed',
  NotAcceptable = 'not_acceptable',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  RequestTimeout = 'request_timeout',
  RateLimited = 'rate_limited',
  ResultTooLarge = 'result_too_large',
  UpstreamUnavailable = 'upstream_unavailable',
  UpstreamInvalid = 'upstream_invalid',
  DbUnavailable = 'db_unavailable',
  AuthUnavailable = 'auth_unavailable',
  UpstreamTimeout = 'upstream_timeout',
  DbTimeout = 'db_timeout',
  /** The client left (closed its stream or connection) before the answer: nobody is told, it is only reported. */
  Cancelled = 'cancelled',
  Internal = 'internal_error',
}

export type ErrorStatus = 'error' | 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limited' | 'unavailable' | 'retry';

interface ErrorKind {
  readonly httpStatus: number;
  readonly status: ErrorStatus;
  readonly message: string;
}

export const ERROR_KINDS: Readonly<Record<ErrorCode, ErrorKind>> = {
  [ErrorCode.InvalidInput]: { httpStatus: 400, status: 'error', message: 'Invalid input' },
  [ErrorCode.Unauthorized]: { httpStatus: 401, status: 'unauthorized', message: 'Unauthorized' },
  [ErrorCode.Forbidden]: { httpStatus: 403, status: 'forbidden', message: 'Forbidden' },
  [ErrorCode.NotFound]: { httpStatus: 404, status: 'not_found', message: 'Not found' },
  [ErrorCode.MethodNotAllowed]: { httpStatus: 405, status: 'error', message: 'Method not allowed' },
  [ErrorCode.NotAcceptable]: { httpStatus: 406, status: 'error', message: 'Accept must list both application/json and text/event-stream' },
  [ErrorCode.PayloadTooLarge]: { httpStatus: 413, status: 'error', message: 'Request body too large' },
  [ErrorCode.UnsupportedMediaType]: {
    httpStatus: 415,
    status: 'error',
    message: 'Content-Type must be application/json',
  },
  [ErrorCode.RequestTimeout]: { httpStatus: 408, status: 'error', message: 'Request not received in time' },
  [ErrorCode.RateLimited]: { httpStatus: 429, status: 'rate_limited', message: 'Rate limit exceeded' },
  [ErrorCode.ResultTooLarge]: { httpStatus: 422, status: 'error', message: 'Result too large' },
  [ErrorCode.UpstreamUnavailable]: {
    httpStatus: 503,
    status: 'unavailable',
    message: 'Upstream service temporarily unavailable',
  },
  [ErrorCode.UpstreamInvalid]: { httpStatus: 502, status: 'error', message: 'Upstream service sent an invalid answer' },
  [ErrorCode.DbUnavailable]: { httpStatus: 503, status: 'unavailable', message: 'Data service temporarily unavailable' },
  [ErrorCode.AuthUnavailable]: {
    httpStatus: 503,
    status: 'unavailable',
    message: 'Token verification temporarily unavailable',
  },
  [ErrorCode.UpstreamTimeout]: { httpStatus: 504, status: 'retry', message: 'API timeout' },
  [ErrorCode.DbTimeout]: { httpStatus: 504, status: 'retry', message: 'Query timeout' },
  // 499, as proxies log a request whose client closed the connection first; no client ever reads it.
  [ErrorCode.Cancelled]: { httpStatus: 499, status: 'error', message: 'Call cancelled by the client' },
  [ErrorCode.Internal]: { httpStatus: 500, status: 'error', message: 'Internal error' },
};

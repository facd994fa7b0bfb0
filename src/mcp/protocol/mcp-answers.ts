import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

import { currentRequestId } from '../../common/context/request-context';
import { ErrorCode } from '../../common/errors/error-code';
import { toAppError, toErrorResponse } from '../../common/errors/error-response';

/** JSON-RPC's range for errors an implementation defines; ours carry the SPEC §5 body as `data`. */
export const SERVER_ERROR = -32000;

/**
 * The JSON-RPC error for a failure outside tools/call (a resource read, a prompt, a completion):
 * bad arguments are Invalid Params, anything else a server error; either way `data` is the same
 * body the REST mirrors answer with, so the code (`rate_limited`, `forbidden`, …) is never lost.
 */
export function toProtocolError(error: unknown): ProtocolError {
  const appError = toAppError(error);
  const body = toErrorResponse(appError, currentRequestId()).body;
  const code = appError.code === ErrorCode.InvalidInput ? ProtocolErrorCode.InvalidParams : SERVER_ERROR;
  return new ProtocolError(code, body.error, body);
}

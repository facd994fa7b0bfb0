import type { ResponsesObject } from '@nestjs/swagger';

import { AppError } from '../../common/errors/app-error';
import { ErrorBodyDto } from '../../common/errors/error-body.dto';
import { ERROR_KINDS, ErrorCode } from '../../common/errors/error-code';
import { toErrorResponse } from '../../common/errors/error-response';

/** The request id every example body carries. */
export const EXAMPLE_REQUEST_ID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';

/** What a failure with this code means on a route: the response's description. */
export type ErrorMeanings = Partial<Record<ErrorCode, string>>;

/** Suggestions this server adds to errors of a code (how to authenticate, for `unauthorized`). */
export type ErrorSuggestions = Partial<Record<ErrorCode, readonly string[]>>;

/** An error of this code as the code throws it; the codes that carry more get a typical case. */
function sampleError(code: ErrorCode, suggestions: readonly string[] | undefined): AppError {
  if (code === ErrorCode.InvalidInput) {
    return AppError.invalidInput([{ field: 'player_id', message: 'player_id must not be less than 1' }]);
  }
  return code === ErrorCode.RateLimited ? AppError.rateLimited(30) : new AppError(code, undefined, { suggestions });
}

/** The body a caller receives for this code, made by the same mapper as every real failure. */
export function exampleErrorBody(code: ErrorCode, suggestions?: readonly string[]): ErrorBodyDto {
  return toErrorResponse(sampleError(code, suggestions), EXAMPLE_REQUEST_ID).body;
}

/**
 * The error responses of one operation, one per HTTP status, from the error catalogue: each
 * status lists its codes with what they mean there, and shows one example body per code.
 */
export function errorResponses(meanings: ErrorMeanings, suggestions: ErrorSuggestions = {}): ResponsesObject {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.values(ErrorCode).filter((known) => meanings[known] !== undefined)) {
    const status = ERROR_KINDS[code].httpStatus;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: ResponsesObject = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((code) => `${meanings[code]} (\`${code}\`)`).join('; '),
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${ErrorBodyDto.name}` },
          examples: Object.fromEntries(codes.map((code) => [code, { summary: meanings[code], value: exampleErrorBody(code, suggestions[code]) }])),
        },
      },
    };
  }
  return responses;
}

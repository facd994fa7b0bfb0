import { ERROR_KINDS,ErrorCode } from './error-code';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly details?: readonly FieldProblem[];
  readonly suggestions?: readonly string[];
  readonly retryAfterSeconds?: number;
  /** For `method_not_allowed`: the methods the path does serve (the `Allow` header). */
  readonly allowedMethods?: readonly string[];
  /** The `WWW-Authenticate` value of an authentication refusal, when it says more than `Bearer`. */
  readonly challenge?: string;
  /** For a refusal of access: the reason the audit line gives (`missing_key`, `role_not_allowed`, …). */
  readonly refusal?: string;
  readonly cause?: unknown;
}

/**
 * The one error type domain code throws. Its message is safe to show to a caller;
 * anything internal travels in `cause`, which only reaches the server log.
 */
export class AppError extends Error {
  readonly details: readonly FieldProblem[];
  readonly suggestions: readonly string[];
  readonly retryAfterSeconds: number | undefined;
  readonly allowedMethods: readonly string[];
  readonly challenge: string | undefined;
  readonly refusal: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_KINDS[code].message,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details ?? [];
    this.suggestions = options.suggestions ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.allowedMethods = options.allowedMethods ?? [];
    this.challenge = options.challenge;
    this.refusal = options.refusal;
  }

  static notFound(message: string, suggestion?: string): AppError {
    return new AppError(ErrorCode.NotFound, message, { suggestions: suggestion === undefined ? [] : [suggestion] });
  }

  /** A 429 whose text says when the caller's budget frees up again; `refusal` is the audit's reason. */
  static rateLimited(retryAfterSeconds: number, refusal = 'rate_limited'): AppError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new AppError(ErrorCode.RateLimited, `${ERROR_KINDS[ErrorCode.RateLimited].message}: the budget resets in ${seconds} s`, {
      retryAfterSeconds,
      suggestions: [`Retry after ${seconds} s (the Retry-After header)`],
      refusal,
    });
  }

  /** A 403: the caller is known, and its roles do not allow what it asked. */
  static forbidden(message: string, refusal: string): AppError {
    return new AppError(ErrorCode.Forbidden, message, { refusal });
  }

  static invalidInput(details: readonly FieldProblem[], message?: string): AppError {
    // "limit must not be less than 1" names its field already; "unknown field" needs it in front.
    const summary =
      message ?? details.map(({ field, message: text }) => (text.startsWith(`${field} `) ? text : `${field}: ${text}`)).join('; ');
    return new AppError(ErrorCode.InvalidInput, summary === '' ? 'Invalid input' : summary, { details });
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export type Role = 'service' | 'admin';

/** An access refusal as the audit records it: a short reason (`missing_key`, `rate_limited`, `role_not_allowed`). */
export interface AccessRefusal {
  readonly reason: string;
}

/** One tool call the request ran, as the audit line of that call reports it. */
export interface CallRecord {
  readonly tool: string;
  /** Set when the call was refused (its role or the request's budget); the call ran otherwise. */
  readonly refusal: AccessRefusal | undefined;
  /** Whether the call stopped because its client left. */
  readonly cancelled: boolean;
}

/**
 * Who is calling and under which request id, with what the request may still spend. Each field has
 * one writer: the identity fields the authentication guard, `toolCallAllowance` the rate-limit
 * guard (the budget step spends it), `resultBytesLeft` the result-budget step, `calls` and `callsRunning`
 * the observe step, `refusal` the exception filter, `traceId` tracing; `requestId` and `cancellation` are set
 * once as the request opens. The audit line reads them at the end.
 */
export interface RequestContext {
  readonly requestId: string;
  /** Aborts when the client leaves before the answer is sent in full; the calls of the request stop with it. */
  readonly cancellation?: AbortSignal;
  clientId?: string;
  roles?: readonly Role[];
  userId?: string;
  /** How the caller proved who it is; set once authentication succeeded. */
  via?: 'key' | 'token';
  /** The caller key's own limit (calls per 60 s), when it has one. */
  rateLimitRpm?: number;
  /** Tool calls this request may still run, granted by the rate limit before it started. */
  toolCallAllowance?: { remaining: number; readonly retryAfterSeconds: number };
  /** JSON bytes the answers of this request may still take (a batch shares one budget). */
  resultBytesLeft?: number;
  /** The tool calls the request ran, in order; for their audit lines. */
  calls?: CallRecord[];
  /** The tool calls still running, each settling as its record joins `calls`; the audit of a request whose client left waits for them. */
  callsRunning?: Set<Promise<unknown>>;
  /** Why the request itself was refused, when it was; for its audit line. */
  refusal?: AccessRefusal;
  /** The W3C trace id of the request's span, while tracing is on; for its log lines. */
  traceId?: string;
}

// The request's context, for the work it starts: usable outside Nest's container too (the root logger, the exception filter).
const requestContexts = new AsyncLocalStorage<RequestContext>();
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return requestContexts.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return requestContexts.getStore();
}

/** The current request id, or a fresh one for work that runs outside any request. */
export function currentRequestId(): string {
  return currentRequestContext()?.requestId ?? randomUUID();
}

/** Keeps a caller-supplied id only when it is a safe token; otherwise mints a UUID. */
export function acceptRequestId(incoming: string | undefined): string {
  return incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

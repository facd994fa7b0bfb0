import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export type Role = 'service' | 'admin';

/** Who is calling and under which request id; set once at the edge, read anywhere below it. */
export interface AccessDecision {
  readonly result: 'allowed' | 'denied';
  readonly reason: string;
}

export interface RequestContext {
  readonly requestId: string;
  clientId?: string;
  roles?: readonly Role[];
  userId?: string;
  /** The caller key's own limit (calls per 60 s), when it has one. */
  rateLimitRpm?: number;
  /** Tool calls this MCP request may still run, granted by the rate limit before it started. */
  toolCallAllowance?: { remaining: number; readonly retryAfterSeconds: number };
  /** JSON bytes the answers of this request may still take (a batch shares one budget). */
  resultBytesLeft?: number;
  /** The tool called, once known; for the audit event. */
  tool?: string;
  /** The last access decision taken for this request; for the audit event. */
  access?: AccessDecision;
  /** The W3C trace id of the request's span, while tracing is on; for its log lines. */
  traceId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The current request id, or a fresh one for work that runs outside any request. */
export function currentRequestId(): string {
  return storage.getStore()?.requestId ?? randomUUID();
}

/** Keeps a caller-supplied id only when it is a safe token; otherwise mints a UUID. */
export function acceptRequestId(incoming: string | undefined): string {
  return incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

import { AsyncLocalStorage } from 'node:async_hooks';

import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';

const callSignal = new AsyncLocalStorage<AbortSignal>();

/** A signal that never aborts: the call of no request, which nobody can leave. */
export const NEVER_CANCELLED: AbortSignal = new AbortController().signal;

/**
 * Runs a tool's handler with its call's signal in async-local context, so the database gateway,
 * the squad-api client and the embeddings client stop the call's work when it aborts, without
 * every service and repository passing it along by hand.
 */
export function runWithCallSignal<T>(signal: AbortSignal, fn: () => T): T {
  return callSignal.run(signal, fn);
}

/** The signal of the tool call under way; one that never aborts outside any call. */
export function currentCallSignal(): AbortSignal {
  return callSignal.getStore() ?? NEVER_CANCELLED;
}

/** The failure of work stopped because its caller left. */
export function cancelledError(): AppError {
  return new AppError(ErrorCode.Cancelled);
}

/** Throws the cancellation when the call's caller has already left. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) {
    throw cancelledError();
  }
}

/**
 * Settles as `work` does, or rejects with the cancellation as soon as `signal` aborts (or at once,
 * when it already has); `onLate` then receives what the work resolves to (a pooled connection to
 * give back).
 */
export async function untilCancelled<T>(work: Promise<T>, signal: AbortSignal, onLate: (value: T) => void): Promise<T> {
  // The work is already under way (a connection asked of the pool): whatever it gives after the caller left is handed back.
  const handBack = (): void => {
    work.then(onLate, () => undefined);
  };
  if (signal.aborted) {
    handBack();
    throw cancelledError();
  }
  // Built only when the caller leaves: an error's stack trace is not paid on every call.
  let gone: AppError | undefined;
  let onAbort: (() => void) | undefined;
  const abandoned = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      gone = cancelledError();
      reject(gone);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, abandoned]);
  } catch (error) {
    if (gone !== undefined && error === gone) {
      handBack();
    }
    throw error;
  } finally {
    if (onAbort !== undefined) {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

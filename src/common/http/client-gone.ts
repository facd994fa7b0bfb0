import type { Request, Response } from 'express';

const signals = new WeakMap<Request, AbortSignal>();

/**
 * The request's cancellation: a signal that aborts when the client closes its stream or its
 * connection before the response has been sent in full. MCP Streamable HTTP (both eras) and the
 * REST mirrors all answer on the response of the request, so a response closed unfinished is the
 * one sign, on every surface, that nobody is left to read the answer. The same signal for the
 * whole request.
 */
export function cancelledWhenClientLeaves(req: Request, res: Response): AbortSignal {
  let signal = signals.get(req);
  if (signal === undefined) {
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) {
        controller.abort();
      }
    });
    signal = controller.signal;
    signals.set(req, signal);
  }
  return signal;
}

import { EventEmitter } from 'node:events';

import type { Request, Response } from 'express';

import { acceptRequestId, currentRequestContext, currentRequestId, type RequestContext, runWithRequestContext } from './request-context';
import { requestContextMiddleware } from './request-context.middleware';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function fakeExchange(headers: Record<string, string>): { req: Request; res: Response; sent: Record<string, string> } {
  const sent: Record<string, string> = {};
  const req = { header: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
  // A response is an event emitter: the context's cancellation listens for it closing unfinished.
  const res = Object.assign(new EventEmitter(), { writableFinished: false, setHeader: (name: string, value: string) => (sent[name] = value) }) as unknown as Response;
  return { req, res, sent };
}

describe('request context', () => {
  it('follows the work of a request across awaits, and is absent outside it', async () => {
    expect(currentRequestContext()).toBeUndefined();
    expect(currentRequestId()).toMatch(UUID);
    await runWithRequestContext({ requestId: 'req-1', userId: '42' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      expect(currentRequestContext()).toEqual({ requestId: 'req-1', userId: '42' });
      expect(currentRequestId()).toBe('req-1');
    });
    expect(currentRequestContext()).toBeUndefined();
  });

  it('keeps a safe caller-supplied request id and replaces anything else', () => {
    expect(acceptRequestId('abc.DEF_1-2')).toBe('abc.DEF_1-2');
    expect(acceptRequestId(undefined)).toMatch(UUID);
    expect(acceptRequestId('has space')).toMatch(UUID);
    expect(acceptRequestId('x'.repeat(129))).toMatch(UUID);
  });

  it('is opened by the middleware, once per request however often the middleware runs', async () => {
    const { req, res, sent } = fakeExchange({ 'x-request-id': 'edge-7' });
    const seen: (RequestContext | undefined)[] = [];
    for (let pass = 0; pass < 2; pass++) {
      await new Promise<void>((resolve) => {
        void requestContextMiddleware(req, res, () => {
          seen.push(currentRequestContext());
          resolve();
        });
      });
    }
    expect(seen[0]).toEqual({ requestId: 'edge-7', cancellation: expect.any(AbortSignal) as unknown });
    expect(seen[0]?.cancellation?.aborted).toBe(false);
    expect(seen[1]).toBe(seen[0]);
    expect(sent).toEqual({ 'X-Request-ID': 'edge-7' });
    expect(currentRequestContext()).toBeUndefined();
  });
});

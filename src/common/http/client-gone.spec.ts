import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Request, Response } from 'express';

import { cancelledWhenClientLeaves } from './client-gone';

interface Arrival {
  readonly signal: AbortSignal;
  readonly again: AbortSignal;
  readonly answer: () => void;
  /** Settles once the response has closed (after the helper's own listener has run). */
  readonly closed: Promise<void>;
}

/** A server that gives each request's signal to the test, and answers only when told. */
async function serving(): Promise<{ server: Server; url: string; next: () => Promise<Arrival> }> {
  const waiting: ((value: Arrival) => void)[] = [];
  const server = createServer((req, res) => {
    const signal = cancelledWhenClientLeaves(req as Request, res as Response);
    const again = cancelledWhenClientLeaves(req as Request, res as Response);
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    waiting.shift()?.({ signal, again, closed, answer: () => res.end('done') });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

describe('cancelledWhenClientLeaves', () => {
  let stand: Awaited<ReturnType<typeof serving>>;

  beforeAll(async () => {
    stand = await serving();
  });

  afterAll(async () => {
    stand.server.closeAllConnections();
    await new Promise((resolve) => stand.server.close(resolve));
  });

  it('aborts when the client closes its connection before the answer, the same signal for the whole request', async () => {
    const arrived = stand.next();
    const client = httpRequest(stand.url);
    client.on('error', () => undefined);
    client.end();
    const { signal, again } = await arrived;
    expect(again).toBe(signal);
    expect(signal.aborted).toBe(false);
    const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve));
    client.destroy();
    await aborted;
    expect(signal.aborted).toBe(true);
  });

  it('never aborts once the answer was sent in full, even when the connection closes after', async () => {
    const arrived = stand.next();
    const answered = new Promise<string>((resolve) => {
      httpRequest(stand.url, { agent: false }, (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      }).end();
    });
    const { signal, answer, closed } = await arrived;
    answer();
    expect(await answered).toBe('done');
    await closed;
    expect(signal.aborted).toBe(false);
  });
});

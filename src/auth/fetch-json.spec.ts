import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { fetchJson, MAX_DOCUMENT_BYTES } from './fetch-json';

describe('fetchJson', () => {
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/doc`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads a JSON document, asking for JSON', async () => {
    let accept: string | undefined;
    handler = (req, res) => {
      accept = req.headers.accept;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"keys":[],"name":"ünïcödé"}');
    };
    await expect(fetchJson(url, 1000)).resolves.toEqual({ keys: [], name: 'ünïcödé' });
    expect(accept).toBe('application/json');
  });

  const failures: [string, (req: IncomingMessage, res: ServerResponse) => void, string][] = [
    ['an HTTP error', (_req, res) => res.writeHead(503).end('busy'), 'answered HTTP 503'],
    ['a body that is not JSON', (_req, res) => res.writeHead(200).end('<html>'), 'answer is not JSON'],
    ['a truncated body', (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('{"keys": [');
      res.socket?.destroy();
    }, 'UND_ERR_SOCKET'],
    ['an announced body over the bound', (_req, res) => res.writeHead(200, { 'Content-Length': String(MAX_DOCUMENT_BYTES + 1) }).end(), `answer of ${MAX_DOCUMENT_BYTES + 1} bytes is over ${MAX_DOCUMENT_BYTES}`],
    ['a streamed body over the bound', (_req, res) => {
      res.writeHead(200);
      res.end(`"${'x'.repeat(MAX_DOCUMENT_BYTES)}"`);
    }, `answer is over ${MAX_DOCUMENT_BYTES} bytes`],
    ['a redirect', (_req, res) => res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end(), 'request failed'],
    ['a reset connection', (req) => req.socket.destroy(), 'UND_ERR_SOCKET'],
    ['no answer in time', () => undefined, 'timed out'],
  ];

  it.each(failures)('names %s as the reason', async (_label, answer, reason) => {
    handler = answer;
    await expect(fetchJson(url, 200)).rejects.toMatchObject({ name: 'FetchJsonError', reason });
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetchJson(`http://127.0.0.1:${port}/`, 1000)).rejects.toMatchObject({ reason: 'ECONNREFUSED' });
  });
});

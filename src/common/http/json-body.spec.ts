import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express, { json, type NextFunction, type Request, type Response } from 'express';
import fc from 'fast-check';

import { fromHttpFailure } from '../errors/http-exception.filter';
import { jsonBody } from './json-body';
import { refuseDeepJson } from './request-edge';

const LIMIT = 1024;

/** What the caller would learn of a request: the parsed body, or the error code and message it is refused with. */
type Outcome = { readonly body: unknown } | { readonly code: string; readonly message: string };

/** The refusals each route gave, by path, including those whose answer found no client. */
const refusals: { path: string; code: string }[] = [];

/** One route per parser, each answering with the outcome. */
function parsersApp(): express.Express {
  const app = express();
  app.post('/body-parser', json({ limit: LIMIT, verify: refuseDeepJson }), (req: Request, res: Response) => {
    res.json({ body: req.body as unknown });
  });
  app.post('/json-body', jsonBody(LIMIT), (req: Request, res: Response) => {
    res.json({ body: req.body as unknown });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const refusal = fromHttpFailure(error, req);
    refusals.push({ path: req.path, code: refusal.code });
    res.json({ code: refusal.code, message: refusal.message });
  });
  return app;
}

function post(port: number, path: string, headers: Record<string, string>, body: Buffer): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve(JSON.parse(Buffer.concat(chunks).toString()) as Outcome);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the JSON body parser', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = parsersApp().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** Both parsers' outcomes for the same bytes and headers. */
  async function both(body: Buffer, headers: Record<string, string> = {}): Promise<[Outcome, Outcome]> {
    const sent = { 'content-type': 'application/json', 'content-length': String(body.length), ...headers };
    return [await post(port, '/json-body', sent, body), await post(port, '/body-parser', sent, body)];
  }

  const EDGES: readonly [string, Buffer][] = [
    ['an object', Buffer.from('{"a":1,"b":[true,null,"x"]}')],
    ['an array', Buffer.from('[1,2,3]')],
    ['leading whitespace', Buffer.from(' \n\t\r{"a":1}')],
    ['a byte order mark', Buffer.from('\uFEFF{"a":1}')],
    ['an empty body', Buffer.alloc(0)],
    ['whitespace only', Buffer.from('   ')],
    ['a number', Buffer.from('42')],
    ['a string', Buffer.from('"text"')],
    ['null', Buffer.from('null')],
    ['a cut-off object', Buffer.from('{"a":')],
    ['trailing garbage', Buffer.from('{"a":1} x')],
    ['nesting past the depth limit', Buffer.from(`${'['.repeat(40)}${']'.repeat(40)}`)],
    ['nesting at the depth limit', Buffer.from(`${'['.repeat(32)}${']'.repeat(32)}`)],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['unicode', Buffer.from('{"q":"Zoë 🎯 ﷽"}')],
    ['a body at the limit', Buffer.from(`{"p":"${'x'.repeat(LIMIT - 8)}"}`)],
    ['a body over the limit', Buffer.from(`{"p":"${'x'.repeat(LIMIT)}"}`)],
  ];

  it.each(EDGES)('reads %s as body-parser does', async (_name, body) => {
    const [common, general] = await both(body);
    expect(common).toEqual(general);
  });

  it.each([
    ['another charset spelling', { 'content-type': 'application/json; charset=utf-8' }],
    ['a content coding', { 'content-encoding': 'identity' }],
  ])('leaves %s to body-parser, with the same outcome', async (_name, headers) => {
    const [common, general] = await both(Buffer.from('{"a":1}'), headers);
    expect(common).toEqual({ body: { a: 1 } });
    expect(common).toEqual(general);
  });

  it('refuses what is not a JSON object or array with the invalid-JSON refusal', async () => {
    const [common] = await both(Buffer.from('42'));
    expect(common).toEqual({ code: 'invalid_input', message: 'Request body is not valid JSON' });
  });

  it('agrees with body-parser on any JSON text, whitespace, and damage to it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('', ' ', '\n', '\uFEFF'),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined }),
        async (value, prefix, damage) => {
          const bytes = Buffer.from(prefix + JSON.stringify(value));
          if (damage !== undefined && bytes.length > 0) {
            bytes[damage[0] % bytes.length] = damage[1];
          }
          const [common, general] = await both(bytes);
          expect(common).toEqual(general);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ends the read of a body whose client leaves before sending it, with the invalid-JSON refusal', async () => {
    const before = refusals.filter((refusal) => refusal.path === '/json-body').length;
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/json-body', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100' } });
      req.on('error', (error) => {
        resolve(error.message);
      });
      req.write('{"a":');
      setTimeout(() => req.destroy(), 50);
    });
    expect(outcome).toBe('socket hang up');
    for (let attempt = 0; attempt < 50 && refusals.filter((refusal) => refusal.path === '/json-body').length === before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusals.filter((refusal) => refusal.path === '/json-body').slice(before)).toEqual([{ path: '/json-body', code: 'invalid_input' }]);
  });
});

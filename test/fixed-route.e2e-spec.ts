import { request as httpRequest, type Server } from 'node:http';

import { fixedRouteOf } from '../src/common/http/fixed-route';
import { MODERN_PROTOCOL } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * 2026-07-28 tool requests to /mcp skip Express's and Nest's routers and call the same steps
 * directly. Each request below goes to an instance that does so and to the same kind of instance
 * with every request given to Express; both must answer alike (status, headers, body) and write
 * the same log lines, apart from what differs on every request anyway (ids, times, latencies).
 */

const envelope = {
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'fixed-route', version: '1.0.0' },
};

const toolCall = (args: unknown): string => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_player_stats', arguments: args, _meta: envelope } });

const headersOf = (extra: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  host: '127.0.0.1',
  authorization: `Bearer ${SERVICE_KEY}`,
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-protocol-version': MODERN_PROTOCOL,
  'mcp-method': 'tools/call',
  'mcp-name': 'get_player_stats',
  ...extra,
});

interface Case {
  readonly name: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
  readonly status: number;
}

function without(name: string): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(headersOf()).filter(([header]) => header !== name));
}

const CASES: readonly Case[] = [
  { name: 'a call that succeeds', headers: headersOf(), body: toolCall({ player_id: 42 }), status: 200 },
  { name: 'a call refused by the tool', headers: headersOf(), body: toolCall({ player_id: -1 }), status: 200 },
  { name: 'the tool list', headers: headersOf({ 'mcp-method': 'tools/list' }), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: envelope } }), status: 200 },
  { name: 'a call with its own request id', headers: headersOf({ 'x-request-id': 'caller-chosen.id_1' }), body: toolCall({ player_id: 42 }), status: 200 },
  { name: 'a call for an end user', headers: headersOf({ 'x-user-id': '42' }), body: toolCall({ player_id: 42 }), status: 200 },
  { name: 'a call without a key', headers: without('authorization'), body: toolCall({ player_id: 42 }), status: 401 },
  { name: 'a call with an unknown key', headers: headersOf({ authorization: 'Bearer not-a-key-of-this-server-0000' }), body: toolCall({ player_id: 42 }), status: 401 },
  { name: 'a call with two keys', headers: headersOf({ authorization: [`Bearer ${SERVICE_KEY}`, `Bearer ${SERVICE_KEY}`] }), body: toolCall({ player_id: 42 }), status: 401 },
  { name: 'a call naming another host', headers: headersOf({ host: 'rebound.example' }), body: toolCall({ player_id: 42 }), status: 403 },
  { name: 'a call from a page of another origin', headers: headersOf({ origin: 'https://elsewhere.example' }), body: toolCall({ player_id: 42 }), status: 403 },
  { name: 'a call whose body is not JSON', headers: headersOf(), body: '{"jsonrpc":', status: 400 },
  { name: 'a call nested too deeply', headers: headersOf(), body: `${'['.repeat(40)}${']'.repeat(40)}`, status: 400 },
  { name: 'a call of another media type', headers: headersOf({ 'content-type': 'text/plain' }), body: toolCall({ player_id: 42 }), status: 415 },
  { name: 'a call in another charset', headers: headersOf({ 'content-type': 'application/json; charset=latin1' }), body: toolCall({ player_id: 42 }), status: 415 },
  { name: 'a call too large', headers: headersOf(), body: toolCall({ player_id: 42, padding: 'x'.repeat(120_000) }), status: 413 },
  { name: 'a call with a wrong user id', headers: headersOf({ 'x-user-id': 'not a player' }), body: toolCall({ player_id: 42 }), status: 200 },
];

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function send(url: string, headers: Case['headers'], body: string): Promise<Answer> {
  const target = new URL('/mcp', url);
  const flat: string[] = [];
  for (const [name, value] of Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })) {
    const values: readonly string[] = typeof value === 'string' ? [value] : value;
    for (const one of values) {
      flat.push(name, one);
    }
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, path: '/mcp', method: 'POST', headers: flat, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What differs between any two answers or log lines: ids, times, latencies, the rate limit's reset. */
const VOLATILE_HEADERS = ['date', 'x-request-id', 'x-ratelimit-reset', 'x-ratelimit-remaining', 'etag'];
const VOLATILE_FIELDS = ['timestamp', 'request_id', 'latency_ms', 'time', 'pid', 'hostname'];

function comparable(text: string): string {
  return text.replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
}

function comparableAnswer(answer: Answer): Answer {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !VOLATILE_HEADERS.includes(name)));
  return { status: answer.status, headers, body: comparable(answer.body) };
}

async function linesOf(app: TestApp, requestId: string): Promise<Record<string, unknown>[]> {
  // The audit line is written once the response has closed, which may be just after the client read it.
  for (let attempt = 0; attempt < 50 && !app.logs.forRequest(requestId).some((line) => line.event === 'audit'); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return app.logs.forRequest(requestId).map((line) => Object.fromEntries(Object.entries(line).filter(([field]) => !VOLATILE_FIELDS.includes(field))));
}

function serverOf(app: TestApp): Server {
  return app.app.getHttpServer();
}

let exchanges = 0;

async function exchange(app: TestApp, testCase: Case): Promise<{ answer: Answer; lines: Record<string, unknown>[] }> {
  // Both instances log to one capture: a request id of the caller's is made unique to its exchange.
  exchanges += 1;
  const ownId = testCase.headers['x-request-id'];
  const headers = typeof ownId === 'string' ? { ...testCase.headers, 'x-request-id': `${ownId}.${exchanges}` } : testCase.headers;
  const answer = await send(app.url, headers, testCase.body);
  const requestId = answer.headers['x-request-id'];
  expect(typeof requestId).toBe('string');
  return { answer: comparableAnswer(answer), lines: await linesOf(app, requestId as string) };
}

describe.each([
  ['by default', {}],
  ['with CORS and an allowed page origin', { CORS_ORIGINS: 'https://elsewhere.example', MCP_ALLOWED_ORIGINS: 'https://elsewhere.example' }],
])('the fixed route against the routers, %s', (_setting, env: Record<string, string>) => {
  let fixed: TestApp;
  let routed: TestApp;

  beforeAll(async () => {
    fixed = await startTestApp(env);
    routed = await startTestApp(env);
    fixedRouteOf(serverOf(routed))?.unmount(serverOf(routed));
  });

  afterAll(async () => {
    await fixed.close();
    await routed.close();
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s: the same answer and log lines either way', async (_name, testCase) => {
    const taken = fixedRouteOf(serverOf(fixed))!.taken;
    const [viaFixed, viaRouters] = [await exchange(fixed, testCase), await exchange(routed, testCase)];
    expect(viaFixed.answer).toEqual(viaRouters.answer);
    expect(viaFixed.lines).toEqual(viaRouters.lines);
    expect(viaFixed.lines.some((line) => line.event === 'audit')).toBe(true);
    expect(fixedRouteOf(serverOf(fixed))!.taken).toBe(taken + 1);
    expect(fixedRouteOf(serverOf(routed))).toBeUndefined();
  });

  it('answers each case with its expected status', async () => {
    for (const testCase of CASES) {
      const { answer } = await exchange(fixed, testCase);
      expect([testCase.name, answer.status]).toEqual([testCase.name, testCase.status]);
    }
  });
});

describe('the fixed route and the rate limit', () => {
  let fixed: TestApp;
  let routed: TestApp;

  beforeAll(async () => {
    fixed = await startTestApp({ RATE_LIMIT_RPM: '2' });
    routed = await startTestApp({ RATE_LIMIT_RPM: '2' });
    fixedRouteOf(serverOf(routed))?.unmount(serverOf(routed));
  });

  afterAll(async () => {
    await fixed.close();
    await routed.close();
  });

  it('grants the same budget and refuses past it with the same 429 either way', async () => {
    // Each instance keeps its own budget in memory: the same three calls go to both.
    const call: Case = CASES[0]!;
    const answers = [];
    for (let index = 0; index < 3; index++) {
      answers.push([await exchange(fixed, call), await exchange(routed, call)]);
    }
    expect(answers.map(([viaFixed]) => viaFixed!.answer.status)).toEqual([200, 200, 429]);
    for (const [viaFixed, viaRouters] of answers) {
      expect(viaFixed!.answer).toEqual(viaRouters!.answer);
      expect(viaFixed!.lines).toEqual(viaRouters!.lines);
    }
  });
});

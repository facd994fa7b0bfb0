import request from 'supertest';

import { DirectDispatch } from '../src/mcp/protocol/direct-dispatch';
import { ADMIN_ONLY_TOOL, AdminOnlyToolModule } from './support/admin-only-tool';
import { MODERN_PROTOCOL } from './support/mcp-client';
import { ADMIN_KEY, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * 2026-07-28 tools/list and tools/call are answered directly, not through the SDK's per-request
 * server: every message below goes to an instance that does so and to one that routes everything
 * through the SDK, and the two answers must be the same (status, media type, body) apart from what
 * differs on every answer anyway (request ids, the fence boundary of quoted data).
 */

const KEY = `Bearer ${SERVICE_KEY}`;
const ACCEPT = 'application/json, text/event-stream';
const envelope = {
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'differential', version: '1.0.0' },
};

interface Case {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** Whether the direct path answers it (the rest must reach the SDK in both instances). */
  readonly direct: boolean;
}

const modernHeaders = (method: string, name?: string): Record<string, string> => ({
  'MCP-Protocol-Version': MODERN_PROTOCOL,
  'Mcp-Method': method,
  ...(name === undefined ? {} : { 'Mcp-Name': name }),
});

const call = (id: unknown, name: string, args: unknown, extra: Record<string, unknown> = {}): unknown => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, ...(args === undefined ? {} : { arguments: args }), _meta: envelope, ...extra },
});

const modernCall = (name: string, args: unknown, direct = true): Omit<Case, 'name'> => ({ headers: modernHeaders('tools/call', name), body: call(1, name, args), direct });

const legacyRequest = (id: number, method: string, params?: unknown): unknown => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

const CASES: readonly Case[] = [
  { name: 'a call that succeeds (SQL tool)', ...modernCall('get_player_stats', { player_id: 42 }) },
  { name: 'a call that succeeds (squad-api tool)', ...modernCall('get_player', { player_id: 3 }) },
  { name: 'a call with a string id', headers: modernHeaders('tools/call', 'get_squad'), body: call('call-1', 'get_squad', { squad_id: 7 }), direct: true },
  { name: 'a call of a player who does not exist', ...modernCall('get_player_stats', { player_id: 99_999_999 }) },
  { name: 'a call with an argument out of range', ...modernCall('get_player_stats', { player_id: -1 }) },
  { name: 'a call with an argument of the wrong type', ...modernCall('get_player_stats', { player_id: 'forty-two' }) },
  { name: 'a call with a null argument', ...modernCall('get_player_stats', { player_id: null }) },
  { name: 'a call with an unknown argument', ...modernCall('get_player_stats', { player_id: 42, shoe_size: 44 }) },
  { name: 'a call without arguments', ...modernCall('get_player_stats', undefined) },
  { name: 'a call with odd dates', ...modernCall('get_player_stats', { player_id: 42, since: '2026-02-30', until: '2026-01-01' }) },
  { name: 'a call with unicode text', ...modernCall('search_players', { query: 'Zoë 🎯 ﷽', limit: 3 }) },
  { name: 'a call of an unknown tool', ...modernCall('get_weather', {}) },
  { name: 'a call whose arguments are not an object', headers: modernHeaders('tools/call', 'get_player_stats'), body: call(1, 'get_player_stats', [42]), direct: false },
  { name: 'the tool list', headers: modernHeaders('tools/list'), body: { jsonrpc: '2.0', id: 9, method: 'tools/list', params: { _meta: envelope } }, direct: true },
  { name: 'the tool list with a cursor', headers: modernHeaders('tools/list'), body: { jsonrpc: '2.0', id: 9, method: 'tools/list', params: { cursor: 'abc', _meta: envelope } }, direct: true },
  { name: 'a call without Mcp-Name', headers: modernHeaders('tools/call'), body: call(1, 'get_player_stats', { player_id: 42 }), direct: false },
  { name: 'a call whose Mcp-Name names another tool', headers: modernHeaders('tools/call', 'get_player'), body: call(1, 'get_player_stats', { player_id: 42 }), direct: false },
  {
    name: 'a call whose Mcp-Name is Base64-encoded',
    headers: modernHeaders('tools/call', `=?base64?${Buffer.from('get_player_stats').toString('base64')}?=`),
    body: call(1, 'get_player_stats', { player_id: 42 }),
    direct: false,
  },
  { name: 'a call without Mcp-Method', headers: { 'MCP-Protocol-Version': MODERN_PROTOCOL, 'Mcp-Name': 'get_player_stats' }, body: call(1, 'get_player_stats', { player_id: 42 }), direct: false },
  { name: 'a call whose Mcp-Method says tools/list', headers: modernHeaders('tools/list'), body: call(1, 'get_player_stats', { player_id: 42 }), direct: false },
  { name: 'a call without MCP-Protocol-Version', headers: { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'get_player_stats' }, body: call(1, 'get_player_stats', { player_id: 42 }), direct: false },
  { name: 'a call naming an unsupported revision', headers: { ...modernHeaders('tools/call', 'get_player_stats'), 'MCP-Protocol-Version': '2099-01-01' }, body: call(1, 'get_player_stats', { player_id: 42 }), direct: false },
  {
    name: 'a call whose envelope names another revision than its header',
    headers: modernHeaders('tools/call', 'get_player_stats'),
    body: call(1, 'get_player_stats', { player_id: 42 }, { _meta: { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2025-11-25' } }),
    direct: false,
  },
  {
    name: 'a call without the envelope',
    headers: modernHeaders('tools/call', 'get_player_stats'),
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_player_stats', arguments: { player_id: 42 } } },
    direct: false,
  },
  {
    name: 'a call with a malformed envelope',
    headers: modernHeaders('tools/call', 'get_player_stats'),
    body: call(1, 'get_player_stats', { player_id: 42 }, { _meta: { ...envelope, 'io.modelcontextprotocol/clientInfo': 'me' } }),
    direct: false,
  },
  { name: 'a call with a tool name that is not a string', headers: modernHeaders('tools/call', '42'), body: call(1, 42 as unknown as string, {}), direct: false },
  { name: 'a notification', headers: modernHeaders('notifications/initialized'), body: { jsonrpc: '2.0', method: 'notifications/initialized', params: { _meta: envelope } }, direct: false },
  { name: 'a modern ping', headers: modernHeaders('ping'), body: { jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: envelope } }, direct: false },
  { name: 'server/discover', headers: modernHeaders('server/discover'), body: { jsonrpc: '2.0', id: 3, method: 'server/discover', params: { _meta: envelope } }, direct: false },
  { name: 'prompts/list', headers: modernHeaders('prompts/list'), body: { jsonrpc: '2.0', id: 4, method: 'prompts/list', params: { _meta: envelope } }, direct: false },
  { name: 'an unknown method', headers: modernHeaders('tools/dance'), body: { jsonrpc: '2.0', id: 5, method: 'tools/dance', params: { _meta: envelope } }, direct: false },
  { name: 'a 2025-era tools/list', headers: {}, body: legacyRequest(1, 'tools/list'), direct: false },
  { name: 'a 2025-era tools/call', headers: { 'MCP-Protocol-Version': '2025-11-25' }, body: legacyRequest(1, 'tools/call', { name: 'get_player_stats', arguments: { player_id: 42 } }), direct: false },
  { name: 'a 2025-era call of an unknown tool', headers: { 'MCP-Protocol-Version': '2025-06-18' }, body: legacyRequest(1, 'tools/call', { name: 'nope', arguments: {} }), direct: false },
  {
    name: 'a 2025-03-26 batch',
    headers: { 'MCP-Protocol-Version': '2025-03-26' },
    body: [legacyRequest(1, 'tools/list'), legacyRequest(2, 'tools/call', { name: 'get_player_stats', arguments: { player_id: 42 } })],
    direct: false,
  },
  { name: 'a batch with a 2026-07-28 element', headers: {}, body: [call(1, 'get_player_stats', { player_id: 42 })], direct: false },
  { name: 'an initialize', headers: {}, body: legacyRequest(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'd', version: '1' } }), direct: false },
  { name: 'a JSON-RPC message without a method', headers: modernHeaders('tools/call', 'get_player_stats'), body: { jsonrpc: '2.0', id: 1 }, direct: false },
];

interface Answer {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: string;
}

/** What differs between any two answers: fresh request ids and fence boundaries. */
function comparable(text: string): string {
  return text.replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request-id>').replaceAll(/\b[0-9a-f]{16}\b/g, '<boundary>');
}

async function send(app: TestApp, testCase: Case, contentType = 'application/json'): Promise<Answer> {
  const res = await request(app.url)
    .post('/mcp')
    .set({ Authorization: KEY, Accept: ACCEPT, 'Content-Type': contentType, ...testCase.headers })
    .send(JSON.stringify(testCase.body));
  return { status: res.status, type: res.headers['content-type'], body: comparable(res.text) };
}

describe('direct answers against the SDK path', () => {
  let direct: TestApp;
  let sdk: TestApp;

  beforeAll(async () => {
    direct = await startTestApp();
    sdk = await startTestApp({ MCP_DIRECT_DISPATCH: 'false' });
  });

  afterAll(async () => {
    await sdk.close();
    await direct.close();
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s: the same answer either way', async (_name, testCase) => {
    const [fromDirect, fromSdk] = [await send(direct, testCase), await send(sdk, testCase)];
    expect(fromDirect).toEqual(fromSdk);
    expect(fromDirect.status).toBeGreaterThanOrEqual(200);
  });

  it('answers a call with data, and refusals with their codes, on both paths', async () => {
    const answers = await Promise.all([direct, sdk].map((app) => send(app, CASES[0]!)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ result: { structuredContent: { player_id: 42 }, resultType: 'complete' }, jsonrpc: '2.0', id: 1 });
    }
  });

  it('sends a direct answer with its length, in one piece rather than chunked', async () => {
    const testCase = CASES[0]!;
    const res = await request(direct.url)
      .post('/mcp')
      .set({ Authorization: KEY, Accept: ACCEPT, 'Content-Type': 'application/json', ...testCase.headers })
      .send(JSON.stringify(testCase.body));
    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  });

  it('refuses a body that is not JSON in the same way', async () => {
    const testCase = CASES[0]!;
    expect(await send(direct, testCase, 'text/plain')).toEqual(await send(sdk, testCase, 'text/plain'));
  });

  it('answers the direct cases without the SDK, and leaves the others to it', async () => {
    const answered = (app: TestApp): number => app.app.get(DirectDispatch).answered;
    const before = [answered(direct), answered(sdk)];
    for (const testCase of CASES) {
      await send(direct, testCase);
      await send(sdk, testCase);
    }
    expect(answered(direct) - before[0]!).toBe(CASES.filter((testCase) => testCase.direct).length);
    expect(answered(sdk) - before[1]!).toBe(0);
  });
});

describe('direct answers share no request state', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({}, { modules: [AdminOnlyToolModule] });
  });

  afterAll(async () => {
    await app.close();
  });

  /** One caller's request and what only that caller's answer may contain. */
  interface Exchange {
    readonly key: string;
    readonly id: string;
    readonly testCase: Case;
  }

  it('gives each of many concurrent callers its own answer: its id, the tool list of its role, its request id', async () => {
    const exchanges: Exchange[] = Array.from({ length: 60 }, (_, index) => {
      const key = index % 2 === 0 ? SERVICE_KEY : ADMIN_KEY;
      const id = `caller-${index}`;
      const testCase: Case =
        index % 3 === 0
          ? { name: 'list', headers: modernHeaders('tools/list'), body: { jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: envelope } }, direct: true }
          : index % 3 === 1
            ? { name: 'call', headers: modernHeaders('tools/call', 'get_player_stats'), body: call(id, 'get_player_stats', { player_id: 40 + index }), direct: true }
            : { name: 'refused', headers: modernHeaders('tools/call', 'get_player_stats'), body: call(id, 'get_player_stats', { player_id: -index }), direct: true };
      return { key, id, testCase };
    });
    const answers = await Promise.all(
      exchanges.map((exchange) =>
        request(app.url)
          .post('/mcp')
          .set({ Authorization: `Bearer ${exchange.key}`, Accept: ACCEPT, 'Content-Type': 'application/json', ...exchange.testCase.headers })
          .send(JSON.stringify(exchange.testCase.body)),
      ),
    );
    answers.forEach((res, index) => {
      const exchange = exchanges[index]!;
      const body = JSON.parse(res.text) as { id: string; result: Record<string, unknown> };
      expect(res.status).toBe(200);
      expect(body.id).toBe(exchange.id);
      if (exchange.testCase.name === 'list') {
        const names = (body.result.tools as { name: string }[]).map((tool) => tool.name);
        expect(names.includes(ADMIN_ONLY_TOOL)).toBe(exchange.key === ADMIN_KEY);
      } else if (exchange.testCase.name === 'call') {
        expect(body.result.structuredContent).toMatchObject({ player_id: 40 + index });
      } else {
        const error = (body.result._meta as Record<string, { request_id: string }>)['squad-mcp/error']!;
        expect(error.request_id).toBe(res.headers['x-request-id']);
      }
    });
    expect(app.app.get(DirectDispatch).answered).toBeGreaterThanOrEqual(exchanges.length);
  });
});

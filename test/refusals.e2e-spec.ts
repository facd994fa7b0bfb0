import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import request from 'supertest';

import { ADMIN_KEY, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Every refusal takes one path: a SPEC §5 body carrying the request id, one `request_refused` log
 * line and one audit event, whatever refused the request (router, body parser, media type, Host or
 * Origin, method, request target).
 */
let app: TestApp;
const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const mcpHeaders = { ...auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

function nestedJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * Sends raw bytes, for request targets no HTTP client library will produce; `keepWriting` leaves
 * the sending half open (a closed half is a cancelled request), so only the server ends the connection.
 */
function rawRequest(head: string, keepWriting = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => (keepWriting ? socket.write(head) : socket.end(head)));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** JSON brackets written in UTF-7 (`+AFs-` is `[`): bytes a depth check on UTF-8 never sees as nesting. */
function utf7Brackets(depth: number): Buffer {
  return Buffer.from(`{"player_id":${'+AFs-'.repeat(depth)}1${'+AF0-'.repeat(depth)}}`, 'ascii');
}

function sendRaw(path: string, contentType: string, body: Buffer): request.Test {
  const accept = path === '/mcp' ? { Accept: 'application/json, text/event-stream' } : {};
  // Sent as the bytes given: superagent would otherwise serialize a Buffer as JSON.
  return request(app.url)
    .post(path)
    .set({ ...auth, ...accept, 'Content-Type': contentType })
    .serialize((bytes: Buffer) => bytes as unknown as string)
    .send(body);
}

function expectOneLogLineAndAuditEvent(requestId: string, code: string): void {
  const lines = app.logs.forRequest(requestId);
  expect(lines.filter((line) => line.event === 'request_refused')).toEqual([expect.objectContaining({ code })]);
  expect(lines.filter((line) => line.event === 'audit')).toEqual([expect.objectContaining({ result: 'denied', reason: code })]);
}

type Refusal = [string, () => request.Test, number, string];

const REFUSALS: Refusal[] = [
  ['a foreign Host on /mcp', () => request(app.url).post('/mcp').set({ ...mcpHeaders, Host: 'evil.example' }).send(listTools), 403, 'forbidden'],
  ['a foreign Origin on /mcp', () => request(app.url).post('/mcp').set({ ...mcpHeaders, Origin: 'http://evil.example' }).send(listTools), 403, 'forbidden'],
  ['a body over the size limit', () => request(app.url).post('/v1/mcp/get_player').set(auth).send({ pad: 'x'.repeat(200_000) }), 413, 'payload_too_large'],
  ['a body that is not JSON', () => request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'Content-Type': 'application/json' }).send('{"player_id":'), 400, 'invalid_input'],
  ['a REST body sent as text/plain', () => request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'Content-Type': 'text/plain' }).send('{"player_id":1}'), 415, 'unsupported_media_type'],
  ['an MCP body sent as text/plain', () => request(app.url).post('/mcp').set({ ...mcpHeaders, 'Content-Type': 'text/plain' }).send(JSON.stringify(listTools)), 415, 'unsupported_media_type'],
  ['a REST body nested 2,000 levels', () => request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'Content-Type': 'application/json' }).send(nestedJson(2_000)), 400, 'invalid_input'],
  ['MCP params nested 5,000 levels', () => request(app.url).post('/mcp').set(mcpHeaders).send(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":${nestedJson(5_000)}}`), 400, 'invalid_input'],
  ['a REST body declared UTF-7, nested 5,000 levels', () => sendRaw('/v1/mcp/get_player', 'application/json; charset=utf-7', utf7Brackets(5_000)), 415, 'unsupported_media_type'],
  ['an MCP body declared UTF-7, nested 5,000 levels', () => sendRaw('/mcp', 'application/json; charset=utf-7', utf7Brackets(5_000)), 415, 'unsupported_media_type'],
  ['a REST body in UTF-16LE', () => sendRaw('/v1/mcp/get_player', 'application/json; charset=utf-16le', Buffer.from('{"player_id":"\u2200"}', 'utf16le')), 415, 'unsupported_media_type'],
  ['an MCP body in UTF-16LE', () => sendRaw('/mcp', 'application/json; charset=UTF-16LE', Buffer.from(JSON.stringify(listTools), 'utf16le')), 415, 'unsupported_media_type'],
  ['a REST body declared latin-1', () => sendRaw('/v1/mcp/get_player', 'application/json; charset=iso-8859-1', Buffer.from('{"player_id":1}')), 415, 'unsupported_media_type'],
  ['TRACE /mcp', () => request(app.url).trace('/mcp').set(auth), 405, 'method_not_allowed'],
  ['PUT /mcp', () => request(app.url).put('/mcp').set(auth), 405, 'method_not_allowed'],
  ['GET /mcp', () => request(app.url).get('/mcp').set(auth), 405, 'method_not_allowed'],
  ['DELETE /mcp', () => request(app.url).delete('/mcp').set(auth), 405, 'method_not_allowed'],
  ['GET on a REST mirror', () => request(app.url).get('/v1/mcp/get_player').set(auth), 405, 'method_not_allowed'],
  ['an unknown route', () => request(app.url).get('/v2/nothing-here').set(auth), 404, 'not_found'],
];

describe.each(REFUSALS)('%s', (_name, send, httpStatus, code) => {
  it(`answers ${httpStatus} ${code} with the common body, one log line and one audit event`, async () => {
    const res = await send();
    expect(res.status).toBe(httpStatus);
    expect(res.body).toMatchObject({ code, request_id: res.headers['x-request-id'] as string, details: expect.any(Array) as unknown });
    expect(res.body).not.toHaveProperty('jsonrpc');
    expectOneLogLineAndAuditEvent(res.headers['x-request-id'] as string, code);
  });
});

describe('declared charsets', () => {
  it.each(['application/json; charset=utf-8', 'application/json; charset="UTF-8"'])('reads a body declared %s', async (contentType) => {
    const res = await sendRaw('/v1/mcp/get_player', contentType, Buffer.from('{"player_id":1}'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 1 });
  });

  it('says why another charset is refused', async () => {
    const res = await sendRaw('/mcp', 'application/json; charset=utf-7', utf7Brackets(3));
    expect(res.body).toMatchObject({ code: 'unsupported_media_type', error: 'JSON bodies must be UTF-8: declare charset=utf-8 or no charset' });
  });
});

describe('method refusals', () => {
  it.each([
    ['/mcp', 'POST'],
    ['/v1/mcp/get_player', 'POST'],
    ['/health', 'GET'],
  ])('name the methods %s serves in Allow', async (path, allowed) => {
    const res = await request(app.url).patch(path).set(auth);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allowed);
  });
});

describe('request targets', () => {
  it.each([
    ['absolute-form', 'POST http://evil.example/mcp HTTP/1.1'],
    ['asterisk-form', 'OPTIONS * HTTP/1.1'],
  ])('refuses an %s target with 400', async (_form, requestLine) => {
    const answer = await rawRequest(`${requestLine}\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${SERVICE_KEY}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'invalid_input', error: 'Malformed request target' });
    expectOneLogLineAndAuditEvent(body.request_id as string, 'invalid_input');
  });
});

describe('malformed paths', () => {
  it.each(['/v1/mcp/%', '/v1/mcp/%E0%A4%A', '/v1/mcp/get_player%ZZ'])('answers %s with 400 saying the path is malformed', async (path) => {
    const answer = await rawRequest(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${SERVICE_KEY}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'invalid_input', error: 'Malformed request path: it is not valid percent-encoding' });
    expectOneLogLineAndAuditEvent(body.request_id as string, 'invalid_input');
  });
});

describe('Connection: close', () => {
  it.each([
    ['/mcp', JSON.stringify(listTools)],
    ['/v1/mcp/list_regions', '{}'],
  ])('is honoured on %s: the answer says so and the connection ends', async (path, body) => {
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${SERVICE_KEY}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000).unref());
    const answer = await Promise.race([rawRequest(head, true), timeout]);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.slice(0, answer.indexOf('\r\n\r\n')).toLowerCase()).toContain('connection: close');
  });
});

describe('MCP protocol errors', () => {
  const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

  async function discoveredVersions(): Promise<unknown> {
    const res = await request(app.url)
      .post('/mcp')
      .set({ ...mcpHeaders, 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'server/discover' })
      .send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: modernMeta } });
    expect(res.status).toBe(200);
    return (res.body as { result: { supportedVersions: unknown } }).result.supportedVersions;
  }

  it.each([
    ['an unknown MCP-Protocol-Version header on a 2025-era request', { 'MCP-Protocol-Version': '2099-01-01' }, listTools],
    [
      'an unknown MCP-Protocol-Version header on a 2026-era request',
      { 'MCP-Protocol-Version': '2099-01-01', 'Mcp-Method': 'tools/list' },
      { ...listTools, params: { _meta: { ...modernMeta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } },
    ],
    ['an unknown version named only in _meta', { 'Mcp-Method': 'tools/list' }, { ...listTools, params: { _meta: { ...modernMeta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } }],
  ])('answers %s with 400 UnsupportedProtocolVersion listing what server/discover lists', async (_name, headers, body) => {
    const res = await request(app.url).post('/mcp').set({ ...mcpHeaders, ...headers }).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32022, data: { requested: '2099-01-01' } } });
    expect((res.body as { error: { data: { supported: unknown } } }).error.data.supported).toEqual(await discoveredVersions());
  });

  it('echoes a long requested version only up to its bound', async () => {
    const header = `v${'x'.repeat(10_000)}`;
    const res = await request(app.url).post('/mcp').set({ ...mcpHeaders, 'MCP-Protocol-Version': header }).send(listTools);
    expect(res.status).toBe(400);
    const { requested } = (res.body as { error: { data: { requested: string } } }).error.data;
    expect(header.startsWith(requested)).toBe(true);
    expect(requested.length).toBe(64);
    expect(res.text.length).toBeLessThan(500);
  });

  it.each(['initialize', 'logging/setLevel'])('answers %s on 2026-07-28, which no longer has it, with 404 Method not found', async (method) => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const res = await request(app.url)
      .post('/mcp')
      .set({ ...mcpHeaders, 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method })
      .send({ jsonrpc: '2.0', id: 9, method, params: { _meta: meta } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: 9, error: { code: -32601 } });
  });

  it.each([
    ['arguments that are a string', { name: 'get_player', arguments: 'player 7' }],
    ['params that are a string', 'get_player'],
    ['no tool name', { arguments: {} }],
  ])('answers tools/call with %s in one sentence, without a schema dump', async (_name, params) => {
    const res = await request(app.url).post('/mcp').set(mcpHeaders).send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32602, message: 'Invalid params: tools/call needs "name" (a string) and "arguments" (a JSON object)' },
    });
  });
});

describe('MCP requests of a known method with malformed params', () => {
  it.each([
    ['initialize', { protocolVersion: 5, capabilities: 'all' }],
    ['tools/list', { cursor: 5 }],
  ])('%s is answered in one sentence, without a schema dump', async (method, params) => {
    const res = await request(app.url).post('/mcp').set(mcpHeaders).send({ jsonrpc: '2.0', id: 3, method, params });
    expect(res.body).toEqual({ jsonrpc: '2.0', id: 3, error: { code: -32602, message: `Invalid params: the ${method} params do not match the protocol` } });
  });

  it('leaves an unknown method to the protocol layer', async () => {
    const res = await request(app.url).post('/mcp').set(mcpHeaders).send({ jsonrpc: '2.0', id: 4, method: 'tools/explode', params: { cursor: 5 } });
    expect(res.text).toContain('Method not found');
  });
});

describe('a failed key reload', () => {
  it('names the variable but neither the file path nor its content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'squad-keys-'));
    const file = join(dir, 'keys.json');
    await writeFile(file, '[]');
    const reloading = await startTestApp({ API_KEYS_FILE: file });
    try {
      await writeFile(file, '{"secret-looking-content": tru');
      const res = await request(reloading.url).post('/admin/reload-secrets').set({ Authorization: `Bearer ${ADMIN_KEY}` }).send();
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'API_KEYS_FILE' }] });
      expect(res.text).not.toContain(dir);
      expect(res.text).not.toContain('secret-looking-content');
      const logged = reloading.logs.forRequest(res.headers['x-request-id'] as string).find((line) => line.event === 'secrets_reload_failed');
      expect(JSON.stringify(logged)).toContain(file);
    } finally {
      await reloading.close();
    }
  });

  it('answers 400 naming the variables, not the path, when the environment file cannot be read, and keeps the keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'squad-env-'));
    const envFile = join(dir, '.env');
    await writeFile(envFile, `API_KEY_PRIMARY=${SERVICE_KEY}\n`);
    const reloading = await startTestApp({}, { secrets: { envFile, baseEnv: { ADMIN_API_KEY: ADMIN_KEY } } });
    try {
      await rm(envFile);
      await mkdir(envFile);
      const res = await request(reloading.url).post('/admin/reload-secrets').set({ Authorization: `Bearer ${ADMIN_KEY}` }).send();
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'invalid_input',
        error: 'The environment file cannot be read; the current keys stay in force',
        details: ['API_KEY_PRIMARY', 'API_KEY_SECONDARY', 'ADMIN_API_KEY', 'API_KEYS_FILE'].map((field) => expect.objectContaining({ field }) as unknown),
      });
      expect(res.text).not.toContain(dir);
      const logged = reloading.logs.forRequest(res.headers['x-request-id'] as string).find((line) => line.event === 'secrets_reload_failed');
      expect(logged).toMatchObject({ problems: ['environment file: EISDIR'] });
      const kept = await request(reloading.url).post('/v1/mcp/get_player').set({ Authorization: `Bearer ${SERVICE_KEY}` }).send({ player_id: 1 });
      expect(kept.status).toBe(200);
    } finally {
      await reloading.close();
    }
  });
});

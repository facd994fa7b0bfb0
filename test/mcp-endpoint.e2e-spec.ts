import request from 'supertest';

import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

let app: TestApp;
const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const jsonRpcHeaders = { ...auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

/** Reads a JSON-RPC reply whether the SDK framed it as JSON or as one SSE event. */
function jsonRpcReply(res: request.Response): Record<string, unknown> {
  if (String(res.headers['content-type']).startsWith('text/event-stream')) {
    const data = res.text.split('\n').find((line) => line.startsWith('data: '));
    return JSON.parse(data!.slice('data: '.length)) as Record<string, unknown>;
  }
  return res.body as Record<string, unknown>;
}

describe('/mcp', () => {
  it.each(['get', 'delete'] as const)('answers %s with 405 and Allow: POST', async (method) => {
    const res = await request(app.url)[method]('/mcp').set(auth);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it.each(['2025-03-26', '2025-06-18', '2025-11-25'])('negotiates protocol %s with an initialize request', async (version) => {
    const res = await request(app.url)
      .post('/mcp')
      .set(jsonRpcHeaders)
      .send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
      });
    expect(res.status).toBe(200);
    expect(jsonRpcReply(res)).toMatchObject({
      id: 1,
      result: { protocolVersion: version, serverInfo: { name: 'squad-mcp' }, capabilities: { tools: {} } },
    });
  });

  it('refuses a request without a key before MCP runs', async () => {
    const res = await request(app.url).post('/mcp').set({ 'Content-Type': 'application/json' }).send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a 2025-era request that does not accept both JSON and SSE with the documented error body (406)', async () => {
    const res = await request(app.url)
      .post('/mcp')
      .set({ Authorization: `Bearer ${SERVICE_KEY}`, 'Content-Type': 'application/json', Accept: 'application/json' })
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(406);
    expect(res.body).toEqual({
      error: 'Accept must list both application/json and text/event-stream',
      status: 'error',
      code: 'not_acceptable',
      request_id: res.headers['x-request-id'],
      details: [],
      suggestions: ['Send Accept: application/json, text/event-stream'],
    });
  });

  it('says in a 401 where a key comes from: the start-up line and the file it is kept in, in development', async () => {
    const res = await request(app.url).post('/mcp').set({ 'Content-Type': 'application/json' }).send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(401);
    expect((res.body as { suggestions: string[] }).suggestions).toEqual([
      'Send Authorization: Bearer <key>. With no key configured, npm start prints one as export SQUAD_MCP_KEY=… and keeps it in ' +
        '.data/development-key; a key you configured is the value of API_KEY_PRIMARY (README, "Run it").',
    ]);
  });

  it('rejects a foreign Host header (DNS rebinding protection)', async () => {
    const res = await request(app.url).post('/mcp').set({ ...jsonRpcHeaders, Host: 'attacker.example' }).send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(403);
  });

  it('rejects a foreign Origin', async () => {
    const res = await request(app.url)
      .post('/mcp')
      .set({ ...jsonRpcHeaders, Origin: 'https://attacker.example' })
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(403);
  });
});

describe('/docs', () => {
  it('serves the OpenAPI document with one operation per tool, examples and bearer auth', async () => {
    const res = await request(app.url).get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      paths: Record<string, { post: { summary: string; security: unknown[]; 'x-tool-version': string } }>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
    };
    for (const tool of ['get_player', 'search_players', 'get_player_stats', 'list_player_matches']) {
      const operation = doc.paths[`/v1/mcp/${tool}`]?.post;
      expect(operation).toBeDefined();
      expect(operation!.security).toEqual([{ 'api-key': [] }]);
      expect(operation!['x-tool-version']).toBe('1.0.0');
    }
    expect(doc.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.GetPlayerStatsInput!.properties.player_id!.example).toBe(42);
    expect(doc.components.schemas.PlayerStats!.properties.win_rate!.example).toBe(0.568);
  });

  it('serves Swagger UI without a key', async () => {
    const res = await request(app.url).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });

  it('answers an unknown route with the error body', async () => {
    const res = await request(app.url).get('/nowhere').set(auth);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', error: 'Route not found' });
  });
});

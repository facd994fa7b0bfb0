import request from 'supertest';

import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const headers = { Authorization: `Bearer ${SERVICE_KEY}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

describe('/mcp Host and Origin allow-lists', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ MCP_ALLOWED_HOSTS: 'mcp.squad.example', MCP_ALLOWED_ORIGINS: 'app.squad.example' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('admits a listed Host and Origin', async () => {
    const res = await request(app.url)
      .post('/mcp')
      .set({ ...headers, Host: 'mcp.squad.example', Origin: 'https://app.squad.example' })
      .send({ ...listTools, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    expect(res.status).toBe(200);
  });

  it('refuses an unlisted Host and an unlisted Origin', async () => {
    const host = await request(app.url).post('/mcp').set({ ...headers, Host: '127.0.0.1' }).send(listTools);
    expect(host.status).toBe(403);
    const origin = await request(app.url)
      .post('/mcp')
      .set({ ...headers, Host: 'mcp.squad.example', Origin: 'https://other.example' })
      .send(listTools);
    expect(origin.status).toBe(403);
  });
});

describe('/mcp on a public bind without lists', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ HOST: '0.0.0.0' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('accepts any Host but refuses browser Origins', async () => {
    const init = { ...listTools, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    const anyHost = await request(app.url).post('/mcp').set({ ...headers, Host: 'squad-mcp.internal' }).send(init);
    expect(anyHost.status).toBe(200);
    const browser = await request(app.url).post('/mcp').set({ ...headers, Origin: 'http://localhost:3000' }).send(init);
    expect(browser.status).toBe(403);
  });
});

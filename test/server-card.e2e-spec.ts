import request from 'supertest';

import { IdentityProvider } from './support/identity-provider';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const CARD_TYPE = 'application/mcp-server-card+json';
const RESOURCE = 'https://squad-mcp.test/mcp';

interface Card {
  $schema: string;
  name: string;
  version: string;
  description: string;
  title: string;
  remotes: { type: string; url: string; headers: { name: string; isRequired: boolean; isSecret?: boolean }[]; supportedProtocolVersions: string[] }[];
  _meta: Record<string, { schemes: string[]; protected_resource_metadata?: string }>;
}

interface Discovered {
  supportedVersions: string[];
  _meta: { 'io.modelcontextprotocol/serverInfo': { name: string; version: string } };
}

async function discover(app: TestApp): Promise<Discovered> {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
  const res = await request(app.url)
    .post('/mcp')
    .set({
      Authorization: `Bearer ${SERVICE_KEY}`,
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': 'server/discover',
    })
    .send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } });
  expect(res.status).toBe(200);
  return (res.body as { result: Discovered }).result;
}

async function fetchCard(app: TestApp, headers: Record<string, string> = {}): Promise<request.Response> {
  return request(app.url).get('/mcp/server-card').set({ Accept: CARD_TYPE, ...headers });
}

describe('the server card', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ TRUST_PROXY: '1' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('is served without credentials as a public, cacheable card any page may read', async () => {
    const res = await fetchCard(app, { Origin: 'https://agents.example' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/mcp-server-card\+json/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    const card = JSON.parse(res.text) as Card;
    expect(card).toMatchObject({
      $schema: 'https://static.modelcontextprotocol.io/schemas/v2/server-card.schema.json',
      name: expect.stringMatching(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/) as unknown,
      title: 'Squad',
    });
    expect(card.description.length).toBeGreaterThan(0);
    expect(card.description.length).toBeLessThanOrEqual(100);
  });

  it('agrees with server/discover on the name, the version and the protocol versions, and points at this /mcp', async () => {
    const card = JSON.parse((await fetchCard(app)).text) as Card;
    const discovered = await discover(app);
    const serverInfo = discovered._meta['io.modelcontextprotocol/serverInfo'];
    expect(card.name.split('/')[1]).toBe(serverInfo.name);
    expect(card.version).toBe(serverInfo.version);
    expect(card.remotes).toHaveLength(1);
    expect(card.remotes[0]).toMatchObject({ type: 'streamable-http', url: `${app.url}/mcp`, supportedProtocolVersions: discovered.supportedVersions });
  });

  it('is refused for a Host that /mcp would refuse, rather than naming it', async () => {
    const res = await fetchCard(app, { Host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', error: 'Host header not allowed' });
    expect(res.text).not.toContain('evil.example');
  });

  it('says a bearer credential is required and secret, and that keys are accepted', async () => {
    const card = JSON.parse((await fetchCard(app)).text) as Card;
    expect(card.remotes[0]!.headers).toContainEqual(expect.objectContaining({ name: 'Authorization', isRequired: true, isSecret: true }));
    expect(card._meta['squad-mcp/authentication']).toEqual({ schemes: ['api_key'] });
  });

  it('limits each address, and only that address, with 429 and Retry-After', async () => {
    const from = (address: string): Promise<request.Response> => fetchCard(app, { 'X-Forwarded-For': address });
    const statuses: number[] = [];
    for (let index = 0; index < 61; index += 1) {
      statuses.push((await from('203.0.113.7')).status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(60);
    const refused = await from('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('203.0.113.8')).status).toBe(200);
  });
});

describe('the server card with tokens on', () => {
  const provider = new IdentityProvider();
  let app: TestApp;

  beforeAll(async () => {
    await provider.start();
    app = await startTestApp({ AUTH_ISSUER: provider.issuer, AUTH_AUDIENCE: RESOURCE });
  });

  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  it('names the public resource URL and where its protected-resource metadata is', async () => {
    const card = JSON.parse((await fetchCard(app)).text) as Card;
    expect(card.name).toBe('test.squad-mcp/squad-mcp');
    expect(card.remotes[0]!.url).toBe(RESOURCE);
    expect(card._meta['squad-mcp/authentication']).toEqual({
      schemes: ['api_key', 'oauth2'],
      protected_resource_metadata: 'https://squad-mcp.test/.well-known/oauth-protected-resource/mcp',
    });
  });
});

import request from 'supertest';

import { MODERN_PROTOCOL } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const headers = { Authorization: `Bearer ${SERVICE_KEY}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL, 'io.modelcontextprotocol/clientCapabilities': {} };

/** The JSON-RPC message of a tools/list answer exactly as sent, whether as a JSON body or as one SSE event. */
async function toolsListBytes(app: TestApp, era: 'legacy' | 'modern'): Promise<string> {
  const res =
    era === 'modern'
      ? await request(app.url)
          .post('/mcp')
          .set({ ...headers, 'MCP-Protocol-Version': MODERN_PROTOCOL, 'Mcp-Method': 'tools/list' })
          .send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta } })
      : await request(app.url).post('/mcp').set(headers).send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  expect(res.status).toBe(200);
  const data = /^data: (.*)$/m.exec(res.text);
  return data === null ? res.text : data[1]!;
}

function namesIn(message: string): string[] {
  return (JSON.parse(message) as { result: { tools: { name: string }[] } }).result.tools.map((tool) => tool.name);
}

describe('tools/list', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp();
    // Another instance, configured differently in ways that have nothing to do with the catalog.
    second = await startTestApp({ RATE_LIMIT_RPM: '500', AUTH_FAILURES_PER_MINUTE: '50' });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it.each(['legacy', 'modern'] as const)('lists the tools by name in code-point order (%s era)', async (era) => {
    const names = namesIn(await toolsListBytes(first, era));
    expect(names.length).toBeGreaterThanOrEqual(17);
    expect(names).toEqual([...names].sort());
  });

  it.each(['legacy', 'modern'] as const)('answers the same bytes from every instance (%s era)', async (era) => {
    const answers = [await toolsListBytes(first, era), await toolsListBytes(second, era), await toolsListBytes(first, era)];
    expect(new Set(answers).size).toBe(1);
  });
});

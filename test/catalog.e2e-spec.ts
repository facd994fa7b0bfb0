import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import type { Client } from '@modelcontextprotocol/client';

import { exampleArguments } from '../src/mcp/catalog/tool-description';
import { connectMcp, toolBody } from './support/mcp-client';
import { emptyPartsOf } from './support/real-answer';
import { e2eDatabaseUrl, registeredToolNames, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/** The whole catalog over MCP, behind the standalone demo squad-api (`npm run demo-api`) with a service token. */
describe('the tool catalog behind the standalone demo squad-api', () => {
  let demo: ChildProcess;
  let app: TestApp;
  let client: Client;

  beforeAll(async () => {
    demo = spawn(process.execPath, [join(__dirname, '..', 'dist', 'demo', 'demo-api.cli.js')], {
      env: { PATH: process.env.PATH, DB_URL: e2eDatabaseUrl(), PORT: '0', HOST: '127.0.0.1', SERVICE_AUTH_TOKEN: 'demo-service-token' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(demo.stdout!, 'data')) as [Buffer];
    const url = /listening on (http:\/\/\S+)/.exec(chunk.toString())![1]!;
    app = await startTestApp({ API_BASE_URL: url, SERVICE_AUTH_TOKEN: 'demo-service-token' });
    client = await connectMcp(app.url, SERVICE_KEY, 'modern', { 'X-User-ID': '42' });
  });

  afterAll(async () => {
    await client.close();
    await app.close();
    demo.kill('SIGTERM');
    await once(demo, 'exit');
  });

  it('lists exactly the tools of the catalog, each described for an LLM', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(registeredToolNames(app).sort());
    expect(tools.length).toBeGreaterThanOrEqual(20);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(100);
      expect(tool.description).toMatch(/example/i);
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
    }
  });

  it('answers every tool called with its documented example arguments with real data', async () => {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      const result = await client.callTool({ name: tool.name, arguments: exampleArguments(tool.description ?? '')! });
      const body = toolBody(result);
      expect({ tool: tool.name, isError: result.isError ?? false, empty: emptyPartsOf(body) }).toEqual({ tool: tool.name, isError: false, empty: [] });
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { exampleArguments } from '../src/mcp/catalog/tool-description';
import { connectMcp, toolBody } from './support/mcp-client';
import { emptyPartsOf } from './support/real-answer';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

interface ToolExample {
  /** Where the example is shown to people. */
  readonly source: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: { name: string; in: string; schema?: { example?: string } }[];
  requestBody?: { content: Record<string, { example?: Record<string, unknown> }> };
}

const DOCS = ['README.md', 'DEPLOYMENT.md', ...readdirSync(join(__dirname, '..', 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

function fencedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((match) => match[1]!);
}

/** A JavaScript object literal as written in the README's TypeScript (bare keys, single quotes) read as JSON. */
function objectLiteral(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(/'/g, '"').replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":')) as Record<string, unknown>;
}

/** Every tool call written in the documents: curl to a REST mirror, curl with a JSON-RPC `tools/call`, the TypeScript client. */
function documentedExamples(): ToolExample[] {
  const examples: ToolExample[] = [];
  for (const doc of DOCS) {
    const markdown = readFileSync(join(__dirname, '..', doc), 'utf8');
    for (const block of fencedBlocks(markdown)) {
      for (const command of block.split(/(?=\bcurl )/)) {
        const body = /-d '([^']*)'/.exec(command)?.[1];
        const mirror = /\/v1\/mcp\/(\w+)/.exec(command)?.[1];
        if (body === undefined) {
          continue;
        }
        const parsed = JSON.parse(body) as { method?: string; params?: { name: string; arguments: Record<string, unknown> } };
        if (mirror !== undefined) {
          examples.push({ source: `${doc} (curl, REST)`, tool: mirror, args: parsed });
        } else if (parsed.method === 'tools/call' && parsed.params !== undefined) {
          examples.push({ source: `${doc} (curl, MCP)`, tool: parsed.params.name, args: parsed.params.arguments });
        }
      }
      for (const call of block.matchAll(/callTool\(\{ name: '(\w+)', arguments: (\{[^}]*\}) \}\)/g)) {
        examples.push({ source: `${doc} (TypeScript client)`, tool: call[1]!, args: objectLiteral(call[2]!) });
      }
    }
  }
  return examples;
}

describe('examples people run', () => {
  let app: TestApp;
  let operations: OpenApiOperation[];
  let userId: string;
  let client: Client;

  beforeAll(async () => {
    app = await startTestApp();
    const docs = await request(app.url).get('/docs-json');
    operations = Object.entries((docs.body as { paths: Record<string, { post?: OpenApiOperation }> }).paths)
      .filter(([path]) => path.startsWith('/v1/mcp/'))
      .map(([, item]) => item.post!);
    userId = operations[0]!.parameters!.find((parameter) => parameter.name === 'X-User-ID')!.schema!.example!;
    client = await connectMcp(app.url, ADMIN_KEY, 'legacy', { 'X-User-ID': userId });
  });

  afterAll(async () => {
    await client.close();
    await app.close();
  });

  const callRest = async (tool: string, args: Record<string, unknown>): Promise<{ status: number; body: unknown }> => {
    const res = await request(app.url)
      .post(`/v1/mcp/${tool}`)
      .set({ Authorization: `Bearer ${ADMIN_KEY}`, 'X-User-ID': userId })
      .send(args);
    return { status: res.status, body: res.body as unknown };
  };

  it('offers every tool in Swagger UI with a prefilled body and an optional X-User-ID header', () => {
    expect(operations.length).toBeGreaterThanOrEqual(17);
    for (const operation of operations) {
      expect({ tool: operation.operationId, example: operation.requestBody?.content['application/json']?.example }).toEqual({
        tool: operation.operationId,
        example: expect.any(Object) as unknown,
      });
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'X-User-ID', in: 'header', required: false })]));
    }
    expect(userId).toMatch(/^[1-9]\d*$/);
  });

  it('answers every Swagger example (the example in the tool description) with data from the demo world', async () => {
    for (const operation of operations) {
      const args = operation.requestBody!.content['application/json']!.example!;
      const { status, body } = await callRest(operation.operationId, args);
      expect({ tool: operation.operationId, args, status, empty: emptyPartsOf(body) }).toEqual({ tool: operation.operationId, args, status: 200, empty: [] });
    }
  });

  it('answers the same examples over MCP, as a model reading the tool descriptions would call them', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(operations.map((operation) => operation.operationId).sort());
    for (const tool of tools) {
      const args = exampleArguments(tool.description ?? '');
      expect({ tool: tool.name, hasExample: args !== undefined }).toEqual({ tool: tool.name, hasExample: true });
      const result = await client.callTool({ name: tool.name, arguments: args! });
      expect({ tool: tool.name, isError: result.isError ?? false, empty: emptyPartsOf(toolBody(result)) }).toEqual({ tool: tool.name, isError: false, empty: [] });
    }
  });

  it('answers every tool call written in the README, DEPLOYMENT.md and docs/ with data', async () => {
    const examples = documentedExamples();
    expect(examples.map((example) => example.source)).toEqual(
      expect.arrayContaining(['README.md (curl, REST)', 'README.md (curl, MCP)', 'README.md (TypeScript client)', 'docs/operations.md (curl, REST)']),
    );
    for (const { source, tool, args } of examples) {
      const { status, body } = await callRest(tool, args);
      expect({ source, tool, args, status, empty: emptyPartsOf(body) }).toEqual({ source, tool, args, status: 200, empty: [] });
    }
  });
});

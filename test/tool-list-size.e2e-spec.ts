import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { exampleArguments } from '../src/mcp/catalog/tool-description';
import { connectMcp, toolBody } from './support/mcp-client';
import { ADMIN_KEY, registeredToolNames, startTestApp, type TestApp } from './support/test-app';

/** What a host puts in front of the model for every tool: name, description and input schema. */
const MODEL_FACING_LIMIT = 16_000;
/** The whole `tools/list` answer as it travels, JSON-RPC envelope included. */
const WHOLE_ANSWER_LIMIT = 45_000;

interface ListedTool {
  name: string;
  description: string;
  inputSchema: { properties?: Record<string, unknown>; required?: string[] };
  outputSchema: unknown;
}

/** Every place in a schema where `type` is a list (`["integer", "null"]`), which several function-calling dialects reject. */
function typeArrays(schema: unknown, path = ''): string[] {
  if (Array.isArray(schema)) {
    return schema.flatMap((part, index) => typeArrays(part, `${path}/${index}`));
  }
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'type' && Array.isArray(value) ? [path] : typeArrays(value, `${path}/${key}`),
  );
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('the tool list a host puts in front of the model', () => {
  let app: TestApp;
  let client: Client;
  let tools: ListedTool[];
  let wholeBytes: number;

  beforeAll(async () => {
    app = await startTestApp({ ENABLE_RAG: 'true' });
    client = await connectMcp(app.url, ADMIN_KEY, 'legacy', { 'X-User-ID': '42' });
    const res = await request(app.url)
      .post('/mcp')
      .set({ Authorization: `Bearer ${ADMIN_KEY}`, Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json' })
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(200);
    wholeBytes = Buffer.byteLength(res.text, 'utf8');
    tools = (JSON.parse(res.text.replace(/^event: message\ndata: /, '')) as { result: { tools: ListedTool[] } }).result.tools;
  });

  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('keeps the model-facing part of all 23 tools within 16 kB and the whole answer within 45 kB', () => {
    const modelFacing = bytes(tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })));
    process.stdout.write(`tools/list: ${tools.length} tools, model-facing part ${modelFacing} bytes, whole answer ${wholeBytes} bytes\n`);
    expect(tools.map((tool) => tool.name).sort()).toEqual(registeredToolNames(app).sort());
    expect(modelFacing).toBeLessThanOrEqual(MODEL_FACING_LIMIT);
    expect(wholeBytes).toBeLessThanOrEqual(WHOLE_ANSWER_LIMIT);
  });

  it('advertises no JSON Schema type arrays, in input or output schemas', () => {
    const found = tools.flatMap((tool) => [
      ...typeArrays(tool.inputSchema).map((path) => `${tool.name} input${path}`),
      ...typeArrays(tool.outputSchema).map((path) => `${tool.name} output${path}`),
    ]);
    expect(found).toEqual([]);
  });

  // The examples suite checks that each example answers with data; here, that it is input the tool accepts.
  it('describes every tool with what it answers, a neighbour to use instead, and one example that is valid input', async () => {
    const names = tools.map((tool) => tool.name);
    for (const tool of tools) {
      const neighbours = names.filter((name) => name !== tool.name && tool.description.includes(name));
      const example = exampleArguments(tool.description);
      expect({ tool: tool.name, namesANeighbour: neighbours.length > 0, hasExample: example !== undefined }).toEqual({
        tool: tool.name,
        namesANeighbour: true,
        hasExample: true,
      });
      const result = await client.callTool({ name: tool.name, arguments: example! });
      expect({ tool: tool.name, code: result.isError === true ? toolBody(result).code : 'ok' }).toEqual({ tool: tool.name, code: expect.not.stringMatching(/^invalid_input$/) as unknown });
    }
  });

  it('still accepts null for every optional input, as absent, although the schema advertises it as merely optional', async () => {
    for (const tool of tools) {
      const required = new Set(tool.inputSchema.required ?? []);
      const example = exampleArguments(tool.description)!;
      const codeOf = async (args: Record<string, unknown>) => {
        const result = await client.callTool({ name: tool.name, arguments: args });
        return result.isError === true ? toolBody<{ code: string }>(result).code : 'ok';
      };
      for (const field of Object.keys(tool.inputSchema.properties ?? {}).filter((name) => !required.has(name))) {
        const { [field]: _omitted, ...withoutField } = example;
        // null means absent: the call answers exactly as it does without the field, and never invalid_input.
        const withNull = await codeOf({ ...example, [field]: null });
        expect({ tool: tool.name, field, code: withNull }).toEqual({ tool: tool.name, field, code: await codeOf(withoutField) });
        expect(withNull).not.toBe('invalid_input');
      }
    }
  });
});

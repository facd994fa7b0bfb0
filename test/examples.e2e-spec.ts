import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { ERROR_KINDS, ErrorCode } from '../src/common/errors/error-code';
import { exampleArguments } from '../src/mcp/catalog/tool-description';
import { TOOL_ANSWER_EXAMPLES } from '../src/mcp/rest/tool-answer-examples';
import { type ExamplesWorld,examplesWorld } from './support/examples-world';
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

interface DocumentedResponse {
  description: string;
  content?: Record<string, { example?: unknown; examples?: Record<string, { summary?: string; value: Record<string, unknown> }> }>;
}

interface DocumentedOperation extends OpenApiOperation {
  responses: Record<string, DocumentedResponse>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, DocumentedOperation>>;
  components: { securitySchemes: Record<string, { description: string }> };
}

const CATALOGUE = new Map(Object.entries(ERROR_KINDS));
/** Codes whose example says more than the catalogue's message: the fields at fault, the wait. */
const WITH_PARTICULARS: readonly string[] = [ErrorCode.InvalidInput, ErrorCode.RateLimited];

const EXAMPLES_FILE = join(__dirname, '..', 'src', 'mcp', 'rest', 'tool-answer-examples.json');

/** `UPDATE_TOOL_EXAMPLES=1` records the answers instead of checking them (`npm run examples:update`). */
const recording = process.env.UPDATE_TOOL_EXAMPLES === '1';

describe('Swagger examples', () => {
  let world: ExamplesWorld;
  let app: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    world = await examplesWorld(TOOL_ANSWER_EXAMPLES.anchor);
    app = await startTestApp({ ENABLE_RAG: 'true' }, { database: world.url, clock: world.clock });
    document = (await request(app.url).get('/docs-json')).body as OpenApiDocument;
  });

  afterAll(async () => {
    await app.close();
    await world.drop();
  });

  const toolOperations = (): DocumentedOperation[] =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/mcp/'))
      .map(([, item]) => item.post!);

  const allOperations = (): DocumentedOperation[] => Object.values(document.paths).flatMap((item) => Object.values(item));

  it("shows as each tool's 200 example the answer the tool gives now to its request example", async () => {
    const live: Record<string, unknown> = {};
    for (const operation of toolOperations()) {
      const args = operation.requestBody!.content['application/json']!.example!;
      const userId = operation.parameters!.find((parameter) => parameter.name === 'X-User-ID')!.schema!.example!;
      const res = await request(app.url).post(`/v1/mcp/${operation.operationId}`).set({ Authorization: `Bearer ${ADMIN_KEY}`, 'X-User-ID': userId }).send(args);
      expect({ tool: operation.operationId, status: res.status }).toEqual({ tool: operation.operationId, status: 200 });
      live[operation.operationId] = res.body;
    }
    expect(Object.keys(live).length).toBeGreaterThanOrEqual(20);
    if (recording) {
      writeFileSync(EXAMPLES_FILE, `${JSON.stringify({ anchor: TOOL_ANSWER_EXAMPLES.anchor, answers: live }, null, 2)}\n`);
    }
    const stored = (JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as { answers: Record<string, unknown> }).answers;
    expect(stored).toEqual(live);
    if (!recording) {
      for (const operation of toolOperations()) {
        expect({ tool: operation.operationId, example: operation.responses['200']!.content!['application/json']!.example }).toEqual({
          tool: operation.operationId,
          example: live[operation.operationId],
        });
      }
    }
  });

  it('shows each error status of a tool with its own example bodies, one per code of that status in the error catalogue', () => {
    for (const operation of toolOperations()) {
      const statuses = Object.keys(operation.responses).filter((status) => status !== '200');
      expect({ tool: operation.operationId, statuses }).toEqual({
        tool: operation.operationId,
        statuses: ['400', '401', '403', '404', '408', '413', '415', '422', '429', '500', '502', '503', '504'],
      });
    }
    const seen = new Set<string>();
    for (const operation of allOperations()) {
      for (const [status, response] of Object.entries(operation.responses).filter(([code]) => code !== '200')) {
        const examples = response.content!['application/json']!.examples!;
        expect(Object.keys(examples).length).toBeGreaterThan(0);
        for (const [code, { value }] of Object.entries(examples)) {
          const kind = CATALOGUE.get(code)!;
          expect({ status, code: value.code, kind: value.status }).toEqual({ status: String(kind.httpStatus), code, kind: kind.status });
          expect(response.description).toContain(`\`${code}\``);
          if (!WITH_PARTICULARS.includes(code)) {
            expect(value.error).toBe(kind.message);
          }
          seen.add(JSON.stringify(value));
        }
      }
    }
    // Every code a tool may answer has a body of its own: none is shared by two statuses.
    const toolCodes = Object.values(toolOperations()[0]!.responses).flatMap((response) => Object.keys(response.content!['application/json']!.examples ?? {}));
    expect(new Set(toolCodes).size).toBe(toolCodes.length);
    expect(seen.size).toBeGreaterThanOrEqual(toolCodes.length);
  });

  it('shows the bodies the server sends: the 400, 401 and 429 examples differ from a real refusal only in request id and wording', async () => {
    const operation = toolOperations().find((candidate) => candidate.operationId === 'get_player')!;
    const example = (status: string): Record<string, unknown> => {
      const examples = operation.responses[status]!.content!['application/json']!.examples!;
      return Object.values(examples)[0]!.value;
    };
    const shape = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, request_id: expect.any(String) as unknown, error: expect.any(String) as unknown });
    const invalid = await request(app.url).post('/v1/mcp/get_player').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ player_id: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual(shape(example('400')));
    const missingKey = await request(app.url).post('/v1/mcp/get_player').send({ player_id: 1 });
    expect(missingKey.status).toBe(401);
    expect({ ...(missingKey.body as Record<string, unknown>), request_id: 'x' }).toEqual({ ...example('401'), request_id: 'x' });
    expect(Object.keys(example('429'))).toEqual(expect.arrayContaining(['retry_after_seconds']));
  });

  it('says in the Authorize dialog where keys come from, in development and in production, and where to read more', () => {
    const text = document.components.securitySchemes['api-key']!.description;
    for (const place of ['export SQUAD_MCP_KEY=', '.data/development-key', 'API_KEY_PRIMARY', 'API_KEY_SECONDARY', 'ADMIN_API_KEY', 'API_KEYS_FILE', 'AUTH_ISSUER', 'README.md#run-it']) {
      expect({ place, named: text.includes(place) }).toEqual({ place, named: true });
    }
  });
});

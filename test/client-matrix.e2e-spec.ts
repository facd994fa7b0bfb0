import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { connectMcp } from './support/mcp-client';
import { registeredToolNames, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * The clients people run, each over HTTP against the running app: listing, a successful call, an
 * unknown id and bad arguments. Whatever the client, the caller must see the error body's text and code.
 */
interface ErrorBody {
  error: string;
  code: string;
  request_id: string;
}

interface ClientUnderTest {
  listToolNames(): Promise<string[]>;
  /** The tool's answer as the caller sees it: the parsed body, and whether the client flagged it as an error. */
  call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

interface TextResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

function readResult(result: TextResult): { isError: boolean; body: Record<string, unknown> } {
  const text = result.content.find((block) => block.type === 'text')?.text ?? '';
  return { isError: result.isError === true, body: result.structuredContent ?? (JSON.parse(text) as Record<string, unknown>) };
}

async function sdkV1(url: string): Promise<ClientUnderTest> {
  const client = new V1Client({ name: 'matrix-v1', version: '1.0.0' });
  await client.connect(new V1Transport(new URL('/mcp', url), { requestInit: { headers: { Authorization: `Bearer ${SERVICE_KEY}` } } }));
  return {
    listToolNames: async () => (await client.listTools()).tools.map((tool) => tool.name),
    call: async (name, args) => readResult((await client.callTool({ name, arguments: args })) as TextResult),
    close: () => client.close(),
  };
}

async function sdkV2(url: string, era: 'legacy' | 'modern'): Promise<ClientUnderTest> {
  const client = await connectMcp(url, SERVICE_KEY, era);
  return {
    listToolNames: async () => (await client.listTools()).tools.map((tool) => tool.name),
    call: async (name, args) => readResult((await client.callTool({ name, arguments: args })) as TextResult),
    close: () => client.close(),
  };
}

const LANGCHAIN_ERROR = /returned an error: (\{.*\})$/s;

function langChain(url: string): ClientUnderTest {
  const client = new MultiServerMCPClient({
    mcpServers: { squad: { transport: 'http', url: `${url}/mcp`, headers: { Authorization: `Bearer ${SERVICE_KEY}` } } },
    useStandardContentBlocks: true,
  });
  return {
    listToolNames: async () => (await client.getTools()).map((tool) => tool.name),
    call: async (name, args) => {
      const tool = (await client.getTools()).find((candidate) => candidate.name === name);
      if (tool === undefined) {
        throw new Error(`LangChain did not list ${name}`);
      }
      try {
        const output: unknown = await tool.invoke(args);
        const blocks = (Array.isArray(output) ? output : [output]) as { type?: string; text?: string }[];
        const text = typeof output === 'string' ? output : (blocks.find((block) => block.type === 'text')?.text ?? '');
        return { isError: false, body: JSON.parse(text) as Record<string, unknown> };
      } catch (error) {
        // LangChain turns an isError result into a ToolException whose message carries the text content.
        const match = LANGCHAIN_ERROR.exec((error as Error).message);
        if (match === null) {
          throw error;
        }
        return { isError: true, body: JSON.parse(match[1]!) as Record<string, unknown> };
      }
    },
    close: () => client.close(),
  };
}

let app: TestApp;
let playerId: number;

beforeAll(async () => {
  app = await startTestApp();
  const { rows } = await app.db.query<{ id: number }>('SELECT id FROM players ORDER BY id LIMIT 1');
  playerId = rows[0]!.id;
});

afterAll(async () => {
  await app.close();
});

const CLIENTS: [string, (url: string) => Promise<ClientUnderTest> | ClientUnderTest][] = [
  ['the SDK v1 client', sdkV1],
  ['the SDK v2 client, 2025 era', (url) => sdkV2(url, 'legacy')],
  ['the SDK v2 client, 2026-07-28', (url) => sdkV2(url, 'modern')],
  ['the LangChain MCP adapters', langChain],
];

describe.each(CLIENTS)('%s', (_name, connect) => {
  let client: ClientUnderTest;

  beforeAll(async () => {
    client = await connect(app.url);
  });

  afterAll(async () => {
    await client.close();
  });

  it('lists every tool', async () => {
    const names = await client.listToolNames();
    expect(names).toEqual(expect.arrayContaining(['get_player', 'get_player_stats', 'list_squads', 'get_match']));
    expect([...names].sort()).toEqual(registeredToolNames(app).sort());
  });

  it('reads a successful call', async () => {
    const { isError, body } = await client.call('get_player', { player_id: playerId });
    expect(isError).toBe(false);
    expect(body).toMatchObject({ id: playerId, callsign: expect.any(String) as unknown });
    expect(body).not.toHaveProperty('email');
  });

  it('reads the error body of an unknown id', async () => {
    const { isError, body } = await client.call('get_player', { player_id: 999_999 });
    expect(isError).toBe(true);
    expect(body).toMatchObject({ error: 'Player 999999 not found', code: 'not_found', status: 'not_found' });
    expect((body as unknown as ErrorBody).request_id).toEqual(expect.any(String));
  });

  it('reads the error body of bad arguments, per field', async () => {
    const { isError, body } = await client.call('get_player_stats', { player_id: playerId, since: '2026-02-01', until: '2026-01-01' });
    expect(isError).toBe(true);
    expect(body).toMatchObject({ code: 'invalid_input', details: [{ field: 'since', message: 'since must not be after until' }] });
  });
});

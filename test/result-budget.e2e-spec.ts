import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import request from 'supertest';

import { helpCenterDatabase } from './support/documents-database';
import { connectMcp, toolBody } from './support/mcp-client';
import type { RecordingProxy } from './support/recording-proxy';
import { SERVICE_KEY, startTestApp, startTestAppBehindProxy, type TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';

/**
 * Every answer fits MAX_RESULT_BYTES, single or in a batch: a page carries fewer items and says
 * where to go on, a document is read in parts, anything else is a `result_too_large` tool error.
 */
const BUDGET = 16_384;
let app: TestApp & { proxy: RecordingProxy };
const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const mcpHeaders = { ...auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

interface RpcReply {
  id: number;
  result?: { isError?: boolean; content: { text: string }[]; structuredContent?: Record<string, unknown>; tools?: unknown[] };
  error?: { code: number; message: string; data?: { code?: string } };
}

/** The JSON-RPC replies of a batch, in id order, framed as JSON or as SSE events. */
function batchReplies(res: request.Response): RpcReply[] {
  const data = String(res.headers['content-type']).startsWith('text/event-stream')
    ? res.text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as unknown)
    : [res.body as unknown];
  return (data.flat() as RpcReply[]).sort((a, b) => a.id - b.id);
}

/** What each reply of a batch came to: `ok`, a tool error's code, or a JSON-RPC error's code. */
function outcomeOf(reply: RpcReply): string {
  if (reply.error !== undefined) {
    return reply.error.data?.code ?? String(reply.error.code);
  }
  return reply.result?.isError === true ? (JSON.parse(reply.result.content[0]!.text) as { code: string }).code : 'ok';
}

const rpcBatch = (messages: object[]): object[] => messages.map((message, index) => ({ jsonrpc: '2.0', id: index + 1, ...message }));

interface Page {
  items: { id: number }[];
  limit: number;
  offset: number;
  total_count: number;
  has_more: boolean;
  next_offset: number | null;
}

beforeAll(async () => {
  app = await startTestAppBehindProxy({ MAX_RESULT_BYTES: String(BUDGET) });
});

beforeEach(() => {
  app.proxy.behaviour = 'forward';
});

afterAll(async () => {
  await app.close();
});

async function searchPage(offset: number): Promise<{ page: Page; bytes: number }> {
  const res = await request(app.url).post('/v1/mcp/search_players').set(auth).send({ limit: 1000, offset });
  expect(res.status).toBe(200);
  return { page: res.body as Page, bytes: Buffer.byteLength(res.text) };
}

describe('a limit-1000 page over the result budget', () => {
  it('comes back cut short, within the budget, and continuable to the last item', async () => {
    const { rows } = await app.db.query<{ count: number }>('SELECT COUNT(*)::int AS count FROM players');
    const seen: number[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const { page, bytes }: { page: Page; bytes: number } = await searchPage(offset);
      expect(bytes).toBeLessThanOrEqual(BUDGET);
      expect(page).toMatchObject({ limit: 1000, offset, total_count: rows[0]!.count });
      expect(page.next_offset).toBe(page.has_more ? offset + page.items.length : null);
      seen.push(...page.items.map((item) => item.id));
      offset = page.next_offset;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(2);
    expect(seen).toHaveLength(rows[0]!.count);
    expect(new Set(seen).size).toBe(rows[0]!.count);
  });

  it('is valid against its output schema for a client that checks it (SDK v1)', async () => {
    const client = new V1Client({ name: 'budget-v1', version: '1.0.0' });
    await client.connect(new V1Transport(new URL('/mcp', app.url), { requestInit: { headers: auth } }));
    try {
      const result = await client.callTool({ name: 'search_players', arguments: { limit: 1000 } });
      const page = result.structuredContent as Page;
      expect(page.has_more).toBe(true);
      expect(page.items.length).toBeLessThan(1000);
      expect(page.next_offset).toBe(page.items.length);
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThanOrEqual(BUDGET);
      expect(result.content).toEqual([{ type: 'text', text: JSON.stringify(page) }]);
    } finally {
      await client.close();
    }
  });

  it('is shared by the calls of a batch, so one request cannot multiply it', async () => {
    const batch = rpcBatch(Array.from({ length: 10 }, (_, index) => ({ method: 'tools/call', params: { name: 'search_players', arguments: { limit: 1000, offset: index * 50 } } })));
    const res = await request(app.url).post('/mcp').set(mcpHeaders).send(batch);
    expect(res.status).toBe(200);
    const replies = batchReplies(res);
    expect(replies).toHaveLength(10);
    const pages = replies.filter((reply) => outcomeOf(reply) === 'ok').map((reply) => reply.result!.structuredContent as unknown as Page);
    const structuredBytes = pages.reduce((sum, page) => sum + Buffer.byteLength(JSON.stringify(page)), 0);
    expect(structuredBytes).toBeLessThanOrEqual(BUDGET);
    expect(pages[0]!.items.length).toBeGreaterThan(10);
    expect(pages.every((page) => page.has_more && page.next_offset === page.offset + page.items.length)).toBe(true);
    // Once the budget is spent, the rest are refused, and told how to get their answer.
    const refused = replies.filter((reply) => outcomeOf(reply) === 'result_too_large');
    expect(pages.length + refused.length).toBe(10);
    expect(refused.length).toBeGreaterThan(0);
    expect(JSON.parse(refused[0]!.result!.content[0]!.text)).toMatchObject({ error: expect.stringContaining('in a request of its own') as unknown });
  });

  it('is announced in every list tool description', async () => {
    const doc = (await request(app.url).get('/docs-json')).body as { paths: Record<string, { post: { description: string } }> };
    const lists = ['search_players', 'list_player_matches', 'list_squads', 'get_head_to_head', 'list_upcoming_events', 'get_event_attendance', 'list_my_events', 'list_recent_matches', 'get_leaderboard', 'get_squad_rankings'];
    for (const tool of lists) {
      expect({ tool, description: doc.paths[`/v1/mcp/${tool}`]!.post.description }).toEqual({ tool, description: expect.stringContaining('at most 16 kB of JSON') as unknown });
    }
    expect(doc.paths['/v1/mcp/get_player']!.post.description).not.toContain('kB of JSON');
  });
});

describe('an answer that is not a page, over the budget', () => {
  const MATCH = { id: 9, event_id: null, field_id: 1, played_at: '2026-05-01T10:00:00Z', format: '5-man race to 2', home_squad_id: 1, away_squad_id: 2, home_score: 2, away_score: 1, status: 'final' };
  const stats = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ match_id: 9, player_id: index + 1, squad_id: index % 2 === 0 ? 1 : 2, eliminations: 3, times_eliminated: 1, flag_captures: 0 }));
  const answerMatch = (count: number): void => {
    app.proxy.behaviour = { status: 200, body: JSON.stringify({ ...MATCH, player_stats: stats(count) }), headers: { 'Content-Type': 'application/json' } };
  };

  it('is a result_too_large error over REST that says how to narrow the call', async () => {
    answerMatch(400);
    const res = await request(app.url).post('/v1/mcp/get_match').set(auth).send({ match_id: 9 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'result_too_large', status: 'error', error: expect.stringContaining('16 kB') as unknown });
    expect((res.body as { suggestions: string[] }).suggestions.join(' ')).toContain('narrow');
    expect(Buffer.byteLength(res.text)).toBeLessThan(2048);
  });

  it('is a result_too_large tool error over MCP, and a smaller answer still comes whole', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    try {
      answerMatch(400);
      const big = await client.callTool({ name: 'get_match', arguments: { match_id: 9 } });
      expect(big.isError).toBe(true);
      expect(toolBody(big)).toMatchObject({ code: 'result_too_large' });
      answerMatch(20);
      const small = await client.callTool({ name: 'get_match', arguments: { match_id: 9 } });
      expect(toolBody<{ player_stats: unknown[] }>(small).player_stats).toHaveLength(20);
    } finally {
      await client.close();
    }
  });
});

describe('tools/list in a 2025-03-26 batch', () => {
  it('answers the first listing whole and refuses the listings the budget cannot hold', async () => {
    const listings = 5;
    const res = await request(app.url).post('/mcp').set(mcpHeaders).send(rpcBatch(Array.from({ length: listings }, () => ({ method: 'tools/list' }))));
    expect(res.status).toBe(200);
    const replies = batchReplies(res);
    expect(replies[0]!.result!.tools!.length).toBeGreaterThan(10);
    const listingBytes = Buffer.byteLength(JSON.stringify(replies[0]!.result));
    const answered = replies.filter((reply) => reply.result !== undefined).length;
    expect(answered).toBe(Math.max(1, Math.floor(BUDGET / listingBytes)));
    expect(replies.slice(answered).map(outcomeOf)).toEqual(Array.from({ length: listings - answered }, () => 'result_too_large'));
  });
});

describe('a document longer than the budget', () => {
  const BIG = 300_000;
  let docs: TestApp;
  let dbName: string;
  let documentId: number;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'squad-big-doc-'));
    // Multi-byte letters and astral characters, so parts are cut by characters, never inside one.
    const line = 'Über die Regeln 🎯 der Markierer — speed, masks, chronograph.\n';
    const body = `# A very long rule book\n\n${line.repeat(Math.ceil(BIG / line.length))}THE END\n`;
    await writeFile(join(dir, 'long-rules.md'), body);
    const database = await helpCenterDatabase('squad_big_doc', undefined, dir);
    dbName = new URL(database.url).pathname.slice(1);
    docs = await startTestApp({ DB_URL: database.url, ENABLE_RAG: 'true', MAX_RESULT_BYTES: String(BUDGET) });
    const found = await request(docs.url).post('/v1/mcp/search_documents').set(auth).send({ query: 'very long rule book markierer', limit: 1 });
    documentId = (found.body as { items: { document_id: number }[] }).items[0]!.document_id;
  });

  afterAll(async () => {
    await docs.close();
    await dropDatabase(dbName);
  });

  interface DocumentPart {
    text: string;
    offset: number;
    next_offset: number | null;
    total_chars: number;
  }

  it('is read in parts over REST, each within the budget, which join into the whole text', async () => {
    let offset: number | null = 0;
    let text = '';
    let parts = 0;
    let total = 0;
    while (offset !== null) {
      const res = await request(docs.url).post('/v1/mcp/get_document').set(auth).send({ document_id: documentId, offset, max_chars: 100_000 });
      expect(res.status).toBe(200);
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(BUDGET);
      const part = res.body as DocumentPart;
      expect(part.offset).toBe(offset);
      expect(part.next_offset).toBe(part.offset + part.text.length < part.total_chars ? part.offset + part.text.length : null);
      text += part.text;
      total = part.total_chars;
      offset = part.next_offset;
      parts += 1;
    }
    expect(parts).toBeGreaterThan(BIG / BUDGET);
    expect(text).toHaveLength(total);
    expect(text.startsWith('# A very long rule book')).toBe(true);
    expect(text.endsWith('THE END\n')).toBe(true);
    expect(text).not.toContain('\uFFFD');
  });

  it('gives at most max_chars characters', async () => {
    const res = await request(docs.url).post('/v1/mcp/get_document').set(auth).send({ document_id: documentId, offset: 10, max_chars: 50 });
    expect(res.body).toMatchObject({ offset: 10, next_offset: 60 });
    expect((res.body as DocumentPart).text).toHaveLength(50);
  });

  it('refuses an offset past the end', async () => {
    const res = await request(docs.url).post('/v1/mcp/get_document').set(auth).send({ document_id: documentId, offset: 1_000_000 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'offset', message: expect.stringMatching(/^must be at most \d+, the length of the document$/) as unknown }] });
  });

  it('is read in parts over MCP, within the budget', async () => {
    const client = await connectMcp(docs.url, SERVICE_KEY, 'legacy');
    try {
      const part = toolBody<DocumentPart>(await client.callTool({ name: 'get_document', arguments: { document_id: documentId } }));
      expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(BUDGET);
      expect(part.next_offset).toBe(part.text.length);
    } finally {
      await client.close();
    }
  });

  it('shares the budget across a batch of reads: the batch never answers more than the budget', async () => {
    const batch = rpcBatch(Array.from({ length: 20 }, () => ({ method: 'tools/call', params: { name: 'get_document', arguments: { document_id: documentId } } })));
    const res = await request(docs.url).post('/mcp').set(mcpHeaders).send(batch);
    const replies = batchReplies(res);
    expect(replies).toHaveLength(20);
    const parts = replies.filter((reply) => outcomeOf(reply) === 'ok').map((reply) => reply.result!.structuredContent!);
    expect(parts.reduce((sum, part) => sum + Buffer.byteLength(JSON.stringify(part)), 0)).toBeLessThanOrEqual(BUDGET);
    expect(replies.filter((reply) => outcomeOf(reply) === 'result_too_large').length).toBeGreaterThan(15);
  });
});

import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import request from 'supertest';

import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/** A page never exceeds MAX_RESULT_BYTES: it carries fewer items, stays valid and says where to go on. */
const BUDGET = 16_384;
let app: TestApp;
const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

interface Page {
  items: { id: number }[];
  limit: number;
  offset: number;
  total_count: number;
  has_more: boolean;
  next_offset: number | null;
}

beforeAll(async () => {
  app = await startTestApp({ MAX_RESULT_BYTES: String(BUDGET) });
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
    const batch = Array.from({ length: 10 }, (_, index) => ({
      jsonrpc: '2.0',
      id: index + 1,
      method: 'tools/call',
      params: { name: 'search_players', arguments: { limit: 1000, offset: index * 50 } },
    }));
    const res = await request(app.url).post('/mcp').set({ ...auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }).send(batch);
    expect(res.status).toBe(200);
    const data = String(res.headers['content-type']).startsWith('text/event-stream')
      ? res.text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as unknown)
      : [res.body as unknown];
    const pages = (data.flat() as { result: { structuredContent: Page } }[]).map((reply) => reply.result.structuredContent);
    expect(pages).toHaveLength(10);
    const structuredBytes = pages.reduce((sum, page) => sum + Buffer.byteLength(JSON.stringify(page)), 0);
    // The first page takes the budget; the others still advance by one item each.
    expect(structuredBytes).toBeLessThanOrEqual(BUDGET + 9 * 1024);
    expect(pages.every((page) => page.items.length >= 1 && page.has_more && page.next_offset === page.offset + page.items.length)).toBe(true);
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

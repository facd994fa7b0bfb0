import { join } from 'node:path';

import request from 'supertest';

import { DocumentsRepository } from '../src/documents/documents.repository';
import { helpCenterDatabase, LABELLED_QUERIES } from './support/documents-database';
import { connectMcp, structured } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const EXTRA = join(__dirname, 'fixtures', 'documents-extra');

interface Hit {
  document_id: number;
  title: string;
  category: string;
  heading_path: string;
  snippet: string;
  score: number;
  source: string;
}
interface Answer {
  mode: 'hybrid' | 'keyword';
  items: Hit[];
}

function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('search_documents, keyword search on PostgreSQL', () => {
  let app: TestApp;
  let dbName: string;

  async function search(body: object): Promise<{ status: number; body: Answer & { code?: string } }> {
    const res = await request(app.url).post('/v1/mcp/search_documents').set(auth).send(body);
    return { status: res.status, body: res.body as Answer & { code?: string } };
  }

  beforeAll(async () => {
    const database = await helpCenterDatabase('squad_docs_keyword', undefined, EXTRA);
    dbName = new URL(database.url).pathname.slice(1);
    app = await startTestApp({ DB_URL: database.url, ENABLE_RAG: 'true' });
  });

  afterAll(async () => {
    await app.close();
    await dropDatabase(dbName);
  });

  it('finds the expected document in the top 5 for at least 85 % of the labelled questions', async () => {
    let found = 0;
    let reciprocalRanks = 0;
    const missed: string[] = [];
    for (const { query, expected } of LABELLED_QUERIES) {
      const { status, body } = await search({ query, limit: 5 });
      expect(status).toBe(200);
      const rank = body.items.findIndex((item) => expected.includes(item.source));
      if (rank === -1) {
        missed.push(query);
      } else {
        found += 1;
        reciprocalRanks += 1 / (rank + 1);
      }
    }
    const recall = found / LABELLED_QUERIES.length;
    const mrr = reciprocalRanks / LABELLED_QUERIES.length;
    process.stdout.write(
      `keyword retrieval on the help center: ${LABELLED_QUERIES.length} questions, recall@5 ${recall.toFixed(3)}, MRR ${mrr.toFixed(3)}` +
        (missed.length > 0 ? `; missed: ${missed.join(' | ')}` : '') + '\n',
    );
    expect(LABELLED_QUERIES.length).toBeGreaterThanOrEqual(40);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });

  it('answers over MCP with one passage per document, its heading path, source and the mode', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    try {
      const { tools } = await client.listTools();
      const tool = tools.find((candidate) => candidate.name === 'search_documents');
      expect(tool?.description).toMatch(/quoted data, never instructions/);
      expect(tool?.description).toMatch(/Example: \{"query"/);
      expect(tool?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      const answer = structured<Answer>(await client.callTool({ name: 'search_documents', arguments: { query: 'what are the mask rules at a scenario game?' } }));
      expect(answer.mode).toBe('keyword');
      expect(answer.items).toHaveLength(5);
      expect(new Set(answer.items.map((item) => item.document_id)).size).toBe(5);
      const masks = answer.items.find((item) => item.source === 'safety/masks-and-goggles.md');
      expect(masks).toMatchObject({ title: 'Masks and goggles', category: 'safety' });
      expect(answer.items.map((item) => item.heading_path)).toContain('Masks and goggles › Masks at scenario games');
      const scores = answer.items.map((item) => item.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    } finally {
      await client.close();
    }
  });

  it('keeps to a category, takes the folder name as category, and honours the limit', async () => {
    const { body } = await search({ query: 'rules for the field', category: 'Safety', limit: 50 });
    expect(body.items.length).toBeGreaterThan(1);
    expect(body.items.every((item) => item.category === 'safety')).toBe(true);
    const one = await search({ query: 'transfer squad', limit: 1, category: null });
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0]!.source).toBe('squads/transferring-to-another-squad.md');
    expect((await search({ query: 'transfer squad', category: 'no-such-category' })).body.items).toEqual([]);
  });

  it('strips control and direction characters from snippets, which stay quoted data', async () => {
    const { body } = await search({ query: 'zeppelin hangar' });
    expect(body.items[0]).toMatchObject({ source: 'lab/zeppelin.md', category: 'lab', title: 'Zeppelin storage' });
    for (const item of body.items) {
      // eslint-disable-next-line no-control-regex -- the point is that none are left
      expect(item.snippet).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    }
    expect(body.items[0]!.snippet).toContain('hangar [31m closed at night');
  });

  it('reads one whole document by id and pages through them all, for a documents resource', async () => {
    const repository = app.app.get(DocumentsRepository);
    const page = await repository.documents(2, 0);
    expect(page.total).toBe(41);
    expect(page.rows.map((row) => row.source)).toEqual(['app/account-and-profile.md', 'app/ask-squad.md']);
    const last = await repository.documents(10, 40);
    expect(last.rows.map((row) => row.source)).toEqual(['lab/zeppelin.md']);
    const transfer = (await repository.documents(50, 0)).rows.find((row) => row.source === 'squads/transferring-to-another-squad.md');
    const document = await repository.document(transfer!.id);
    expect(document).toMatchObject({ id: transfer!.id, title: 'Transferring to another squad', category: 'squads' });
    expect(document!.body.startsWith('# Transferring to another squad\n')).toBe(true);
    expect(document!.body).toContain('## Transfers during a tournament');
    expect(document!.updated_at).toBeInstanceOf(Date);
    await expect(repository.document(999_999)).resolves.toBeUndefined();
  });

  it('answers a question made only of question words with no items', async () => {
    await expect(search({ query: 'how do I?' })).resolves.toEqual({ status: 200, body: { mode: 'keyword', items: [] } });
  });

  it('refuses out-of-bounds input with invalid_input', async () => {
    for (const body of [{ query: '' }, { query: 'x'.repeat(501) }, { query: 'masks', limit: 51 }, { query: 'masks', limit: 0 }, { query: null }, { query: 'masks', extra: 1 }, { query: 'a\u0000b' }]) {
      const res = await search(body);
      expect([res.status, res.body.code]).toEqual([400, 'invalid_input']);
    }
    const long = await search({ query: `${'mask '.repeat(99)}rules` });
    expect(long.status).toBe(200);
  });

  it('is documented in /docs-json, measured in /metrics, logged, and reported by /health', async () => {
    const docs = await request(app.url).get('/docs-json');
    expect(Object.keys((docs.body as { paths: object }).paths)).toContain('/v1/mcp/search_documents');
    await search({ query: 'barrel cover' });
    const metrics = (await request(app.url).get('/metrics')).text;
    expect(sample(metrics, 'tool_calls_total{tool_name="search_documents",status="ok"}')).toBeGreaterThan(0);
    expect(metrics).toMatch(/db_query_duration_seconds_count\{query_name="documents_keyword"\} [1-9]/);
    expect(app.logs.lines().some((line) => line.tool_name === 'search_documents' && line.event === 'tool_call_end')).toBe(true);
    const health = await request(app.url).get('/health');
    expect((health.body as { checks: { documents: unknown } }).checks.documents).toEqual({
      store: 'ready',
      vector_path: 'none',
      mode: 'keyword',
      embeddings_model: null,
    });
  });
});

describe('search_documents where nothing was ingested, and without ENABLE_RAG', () => {
  it('answers with no items and says so in the log and /health', async () => {
    const app = await startTestApp({ ENABLE_RAG: 'true' });
    try {
      const res = await request(app.url).post('/v1/mcp/search_documents').set(auth).send({ query: 'masks' });
      expect([res.status, res.body]).toEqual([200, { mode: 'keyword', items: [] }]);
      expect(app.logs.lines().some((line) => line.event === 'documents_not_ingested')).toBe(true);
      const health = await request(app.url).get('/health');
      expect((health.body as { checks: { documents: { store: string } } }).checks.documents.store).toBe('not_ingested');
    } finally {
      await app.close();
    }
  });

  it('is not served at all when ENABLE_RAG is off', async () => {
    const app = await startTestApp();
    try {
      const res = await request(app.url).post('/v1/mcp/search_documents').set(auth).send({ query: 'masks' });
      expect([res.status, (res.body as { code: string }).code]).toEqual([404, 'not_found']);
      expect((await request(app.url).get('/health')).body).not.toHaveProperty('checks.documents');
    } finally {
      await app.close();
    }
  });
});

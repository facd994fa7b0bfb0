import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';
import request from 'supertest';

import { endPool } from '../src/demo/end-pool';
import { DEMO_CORPUS_DIR } from '../src/documents/demo-corpus';
import { EmbeddingsClient } from '../src/documents/embeddings-client';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../src/embedded/embedded-database';
import { helpCenterDatabase, ingestInto } from './support/documents-database';
import { EmbeddingsServer, STAND_IN_DIMENSIONS } from './support/embeddings-server';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const MODEL = 'stand-in-trigrams';
const REDIS_URL = 'redis://127.0.0.1:6379';
// A question with every word misspelled: no keyword matches it, the trigram vectors do.
const TYPO_QUESTION = 'chronogrph velocty limts';

interface Answer {
  mode: 'hybrid' | 'keyword';
  items: { source: string; category: string; score: number }[];
}

function embeddingsEnv(url: string): Record<string, string> {
  // One attempt per call and a short timeout, so each failure the stand-in plays is one fallback.
  return { ENABLE_RAG: 'true', EMBEDDINGS_URL: url, EMBEDDINGS_MODEL: MODEL, EMBEDDINGS_TIMEOUT_SECONDS: '0.5', EMBEDDINGS_MAX_RETRIES: '0' };
}

function standIn(url: string): EmbeddingsClient {
  return new EmbeddingsClient({ url, model: MODEL, apiKey: undefined, dimensions: undefined, timeoutMs: 5000, maxRetries: 0 });
}

async function search(app: TestApp, body: object): Promise<Answer> {
  const res = await request(app.url).post('/v1/mcp/search_documents').set(auth).send(body);
  expect(res.status).toBe(200);
  return res.body as Answer;
}

/** A word no document holds, so a question stays new to the vector cache without matching more keywords. */
function uniqueWord(): string {
  return 'zz' + randomUUID().replace(/[^a-f]/g, '');
}

function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('hybrid search on PostgreSQL without pgvector (vectors ranked in process)', () => {
  const embeddings = new EmbeddingsServer();
  let embeddingsUrl: string;
  let dbUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    embeddingsUrl = await embeddings.start();
    const database = await helpCenterDatabase('squad_docs_hybrid', standIn(embeddingsUrl));
    dbUrl = database.url;
    expect(database.summary).toMatchObject({ documents: 40, vectorStore: 'in_process' });
    expect(database.summary.embedded).toBe(database.summary.chunks);
    app = await startTestApp({ DB_URL: dbUrl, ...embeddingsEnv(embeddingsUrl) });
  });

  afterAll(async () => {
    await app.close();
    await embeddings.stop();
    await dropDatabase(new URL(dbUrl).pathname.slice(1));
  });

  beforeEach(() => {
    embeddings.behaviour = 'ok';
  });

  it('stores the vectors as real[] and says in /health that they are ranked in process', async () => {
    const pool = new Pool({ connectionString: dbUrl, max: 1 });
    try {
      const column = await pool.query<{ type: string }>(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'squad_docs.chunks'::regclass AND attname = 'embedding'",
      );
      expect(column.rows[0]?.type).toBe('real[]');
    } finally {
      await endPool(pool);
    }
    const health = await request(app.url).get('/health');
    expect((health.body as { checks: { documents: unknown } }).checks.documents).toEqual({
      store: 'ready',
      vector_path: 'in_process',
      mode: 'hybrid',
      embeddings_model: MODEL,
    });
  });

  it('fuses keyword and semantic rankings: a question no keyword matches is still answered', async () => {
    const exact = await search(app, { query: 'what are the mask rules at a scenario game?', limit: 3 });
    expect(exact.mode).toBe('hybrid');
    expect(exact.items.map((item) => item.source)).toContain('safety/masks-and-goggles.md');
    const typo = await search(app, { query: TYPO_QUESTION, limit: 3 });
    expect(typo.mode).toBe('hybrid');
    expect(typo.items[0]?.source).toBe('safety/chronograph-limits.md');
    // Fused scores are reciprocal ranks: at most 2 / (60 + 1) for a chunk first in both rankings.
    for (const item of [...exact.items, ...typo.items]) {
      expect(item.score).toBeGreaterThan(0);
      expect(item.score).toBeLessThanOrEqual(2 / 61 + 1e-9);
    }
    const inCategory = await search(app, { query: TYPO_QUESTION, category: 'rules' });
    expect(inCategory.items.length).toBeGreaterThan(0);
    expect(inCategory.items.every((item) => item.category === 'rules')).toBe(true);
  });

  it.each(['status_500', 'hang', 'reset', 'wrong_shape'] as const)('falls back to keyword search when the endpoint answers %s, logs and counts it', async (behaviour) => {
    const before = sample((await request(app.url).get('/metrics')).text, `document_search_fallbacks_total{reason="${behaviourReason(behaviour)}"}`);
    embeddings.behaviour = behaviour;
    const nonce = uniqueWord();
    const question = `mask rules at a scenario game ${nonce}`;
    const answer = await search(app, { query: question, limit: 3 });
    expect(answer.mode).toBe('keyword');
    expect(answer.items.map((item) => item.source)).toContain('safety/masks-and-goggles.md');
    // Only the semantic ranking could answer the misspelled question.
    expect(await search(app, { query: `${TYPO_QUESTION} ${nonce}` })).toEqual({ mode: 'keyword', items: [] });
    const metrics = (await request(app.url).get('/metrics')).text;
    expect(sample(metrics, `document_search_fallbacks_total{reason="${behaviourReason(behaviour)}"}`)).toBe(before + 2);
    expect(sample(metrics, `api_errors_total{source="embeddings",status_code="${behaviourReason(behaviour)}"}`)).toBeGreaterThanOrEqual(2);
    expect(app.logs.lines().some((line) => line.event === 'document_search_fallback' && line.reason === behaviourReason(behaviour))).toBe(true);
    embeddings.behaviour = 'ok';
    expect((await search(app, { query: `${question} again` })).mode).toBe('hybrid');
  });

  it('caches question vectors by model and normalized question', async () => {
    const question = `barrel cover in the parking lot ${uniqueWord()}`;
    await search(app, { query: question });
    await search(app, { query: question, limit: 2 });
    await search(app, { query: `  ${question.toUpperCase()}  ` });
    expect(embeddings.requestsFor(question)).toBe(1);
    expect(embeddings.requestsFor(`  ${question.toUpperCase()}  `)).toBe(0);
  });

  it('shares question vectors between instances through Redis', async () => {
    const first = await startTestApp({ DB_URL: dbUrl, ...embeddingsEnv(embeddingsUrl), REDIS_URL });
    const second = await startTestApp({ DB_URL: dbUrl, ...embeddingsEnv(embeddingsUrl), REDIS_URL });
    try {
      const question = `how do I transfer to another squad ${uniqueWord()}`;
      expect((await search(first, { query: question })).mode).toBe('hybrid');
      // The write to Redis does not hold the answer back; give it a moment to land.
      for (let wait = 0; wait < 50 && embeddings.requestsFor(question) === 1; wait += 1) {
        const answer = await search(second, { query: question });
        expect(answer.items[0]?.source).toBe('squads/transferring-to-another-squad.md');
        break;
      }
      expect(embeddings.requestsFor(question)).toBe(1);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('falls back when the endpoint refuses connections', async () => {
    const refusing = new EmbeddingsServer();
    const url = await refusing.start();
    await refusing.stop();
    const other = await startTestApp({ DB_URL: dbUrl, ...embeddingsEnv(url) });
    try {
      const answer = await search(other, { query: 'what are the mask rules at a scenario game?' });
      expect(answer.mode).toBe('keyword');
      expect(answer.items.map((item) => item.source)).toContain('safety/masks-and-goggles.md');
      expect(other.logs.lines().some((line) => line.event === 'document_search_fallback' && line.reason === 'network')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('answers from keyword search alone when the stored vectors come from another model', async () => {
    const other = await startTestApp({ DB_URL: dbUrl, ...embeddingsEnv(embeddingsUrl), EMBEDDINGS_MODEL: 'another-model' });
    try {
      const question = `mask rules ${uniqueWord()}`;
      const answer = await search(other, { query: question });
      expect(answer.mode).toBe('keyword');
      expect(embeddings.requestsFor(question)).toBe(0);
      expect(other.logs.lines().some((line) => line.event === 'documents_model_mismatch')).toBe(true);
    } finally {
      await other.close();
    }
  });
});

function behaviourReason(behaviour: 'status_500' | 'hang' | 'reset' | 'wrong_shape'): string {
  switch (behaviour) {
    case 'status_500':
      return 'status_500';
    case 'hang':
      return 'timeout';
    case 'reset':
      return 'network';
    case 'wrong_shape':
      return 'invalid_body';
  }
}

describe('hybrid search on pgvector (PGlite with its vector extension, as in the embedded default)', () => {
  const embeddings = new EmbeddingsServer();
  let database: EmbeddedDatabase;
  let app: TestApp;

  beforeAll(async () => {
    const url = await embeddings.start();
    database = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0 });
    const summary = await ingestInto(database.url, DEMO_CORPUS_DIR, standIn(url));
    expect(summary).toMatchObject({ documents: 40, vectorStore: 'pgvector' });
    expect(summary.embedded).toBe(summary.chunks);
    app = await startTestApp({ DB_URL: database.url, DB_NAMED_STATEMENTS: 'false', ...embeddingsEnv(url) });
  });

  afterAll(async () => {
    await app.close();
    await database.close();
    await embeddings.stop();
  });

  it('sizes the vector column to the model and indexes it with HNSW', async () => {
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      const column = await pool.query<{ type: string }>(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'squad_docs.chunks'::regclass AND attname = 'embedding'",
      );
      expect(column.rows[0]?.type).toBe(`vector(${STAND_IN_DIMENSIONS})`);
      const index = await pool.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = 'squad_docs' AND indexname = 'chunks_embedding'");
      expect(index.rows[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    } finally {
      await endPool(pool);
    }
    const health = await request(app.url).get('/health');
    expect((health.body as { checks: { documents: { vector_path: string; mode: string } } }).checks.documents).toMatchObject({
      vector_path: 'pgvector',
      mode: 'hybrid',
    });
  });

  it('ranks by cosine distance in the database and fuses it with keyword search', async () => {
    const typo = await search(app, { query: TYPO_QUESTION, limit: 3 });
    expect(typo.mode).toBe('hybrid');
    expect(typo.items[0]?.source).toBe('safety/chronograph-limits.md');
    const exact = await search(app, { query: 'how do I transfer to another squad?', limit: 3 });
    expect(exact.items[0]?.source).toBe('squads/transferring-to-another-squad.md');
    const safety = await search(app, { query: TYPO_QUESTION, category: 'safety' });
    expect(safety.items.length).toBeGreaterThan(0);
    expect(safety.items.every((item) => item.category === 'safety')).toBe(true);
  });
});

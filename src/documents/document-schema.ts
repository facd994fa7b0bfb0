import type { Pool, PoolClient } from 'pg';

/** Where chunk vectors live: pgvector columns with an HNSW index, or `real[]` ranked in process. */
export type VectorStore = 'pgvector' | 'in_process';

/**
 * The most chunks the in-process path ranks: every vector is held in memory and compared on each
 * query, which stays fast (a few milliseconds) up to about this many. Past it, pgvector is needed.
 */
export const IN_PROCESS_MAX_CHUNKS = 20_000;

/** pgvector's HNSW index covers vectors up to this many dimensions. */
export const PGVECTOR_MAX_INDEXED_DIMENSIONS = 2000;

const SCHEMA = [
  'CREATE SCHEMA IF NOT EXISTS squad_docs',
  `CREATE TABLE IF NOT EXISTS squad_docs.store (
    id integer PRIMARY KEY CHECK (id = 1),
    vector_store text NOT NULL,
    embedding_model text,
    dimensions integer,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS squad_docs.documents (
    id serial PRIMARY KEY,
    source text NOT NULL UNIQUE,
    title text NOT NULL,
    category text NOT NULL,
    content_hash text NOT NULL,
    embedding_model text,
    body text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX IF NOT EXISTS documents_category ON squad_docs.documents (category, id)',
  `CREATE TABLE IF NOT EXISTS squad_docs.chunks (
    id serial PRIMARY KEY,
    document_id integer NOT NULL REFERENCES squad_docs.documents (id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    heading_path text NOT NULL,
    text text NOT NULL,
    search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', heading_path), 'A') || setweight(to_tsvector('english', text), 'B')
    ) STORED,
    UNIQUE (document_id, ordinal)
  )`,
  'CREATE INDEX IF NOT EXISTS chunks_search ON squad_docs.chunks USING gin (search)',
];
const HAS_PGVECTOR = "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available";
const CREATE_PGVECTOR = 'CREATE EXTENSION IF NOT EXISTS vector';
const VECTOR_COLUMN = 'ALTER TABLE squad_docs.chunks ADD COLUMN IF NOT EXISTS embedding vector';
const ARRAY_COLUMN = 'ALTER TABLE squad_docs.chunks ADD COLUMN IF NOT EXISTS embedding real[]';
const READ_STORE = 'SELECT vector_store, embedding_model, dimensions FROM squad_docs.store WHERE id = 1';
const CREATE_STORE = 'INSERT INTO squad_docs.store (id, vector_store) VALUES (1, $1) ON CONFLICT (id) DO NOTHING';
const RECORD_MODEL = 'UPDATE squad_docs.store SET embedding_model = $1, dimensions = $2, updated_at = now() WHERE id = 1';
const FORGET_VECTORS = 'UPDATE squad_docs.chunks SET embedding = NULL';
const FORGET_DOCUMENT_MODELS = 'UPDATE squad_docs.documents SET embedding_model = NULL';
const DROP_VECTOR_INDEX = 'DROP INDEX IF EXISTS squad_docs.chunks_embedding';
const UNSIZED_VECTOR_COLUMN = 'ALTER TABLE squad_docs.chunks ALTER COLUMN embedding TYPE vector';
const CREATE_VECTOR_INDEX = 'CREATE INDEX IF NOT EXISTS chunks_embedding ON squad_docs.chunks USING hnsw (embedding vector_cosine_ops)';
// Serialises concurrent ingestions into one database; released at the end of the transaction.
export const TAKE_INGEST_LOCK = 'SELECT pg_advisory_xact_lock(1936028004, 2)';

export interface StoreState {
  readonly vectorStore: VectorStore;
  readonly embeddingModel: string | null;
  readonly dimensions: number | null;
}

interface StoreRow {
  vector_store: VectorStore;
  embedding_model: string | null;
  dimensions: number | null;
}

/**
 * Creates the document store in its own schema, idempotently. The vector column is pgvector's
 * type when the database offers the extension, else `real[]`; the choice is made once, on the
 * first migration, and kept in `squad_docs.store`.
 */
export async function migrateDocumentStore(pool: Pool): Promise<StoreState> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(TAKE_INGEST_LOCK);
    for (const statement of SCHEMA) {
      await client.query(statement);
    }
    const existing = await client.query<StoreRow>(READ_STORE);
    let vectorStore = existing.rows[0]?.vector_store;
    if (vectorStore === undefined) {
      const probe = await client.query<{ available: boolean }>(HAS_PGVECTOR);
      vectorStore = probe.rows[0]?.available === true ? 'pgvector' : 'in_process';
      await client.query(CREATE_STORE, [vectorStore]);
    }
    if (vectorStore === 'pgvector') {
      await client.query(CREATE_PGVECTOR);
      await client.query(VECTOR_COLUMN);
    } else {
      await client.query(ARRAY_COLUMN);
    }
    await client.query('COMMIT');
    return { vectorStore, embeddingModel: existing.rows[0]?.embedding_model ?? null, dimensions: existing.rows[0]?.dimensions ?? null };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Records the embedding model and its dimensions. A different model or size makes every stored
 * vector meaningless: they are dropped, so the ingestion that follows embeds every document again.
 * With pgvector, the column is then sized to the dimensions and indexed with HNSW.
 */
export async function recordEmbeddingModel(client: PoolClient, state: StoreState, model: string, dimensions: number): Promise<void> {
  const changed = state.embeddingModel !== model || state.dimensions !== dimensions;
  if (changed) {
    await client.query(FORGET_VECTORS);
    await client.query(FORGET_DOCUMENT_MODELS);
    await client.query(RECORD_MODEL, [model, dimensions]);
  }
  if (state.vectorStore !== 'pgvector' || dimensions > PGVECTOR_MAX_INDEXED_DIMENSIONS) {
    return;
  }
  if (changed) {
    await client.query(DROP_VECTOR_INDEX);
    await client.query(UNSIZED_VECTOR_COLUMN);
    // A type modifier cannot be a bound parameter; `dimensions` is an integer checked by the caller.
    // eslint-disable-next-line squad/no-sql-interpolation
    await client.query(`ALTER TABLE squad_docs.chunks ALTER COLUMN embedding TYPE vector(${String(Math.trunc(dimensions))})`);
  }
  await client.query(CREATE_VECTOR_INDEX);
}

import type { Pool, PoolClient } from 'pg';

import { type DocumentFile, scanFolder } from './document-files';
import { IN_PROCESS_MAX_CHUNKS, migrateDocumentStore, recordEmbeddingModel, type StoreState, TAKE_INGEST_LOCK } from './document-schema';
import type { Embedder } from './embeddings-client';
import { type Chunk, parseMarkdown } from './markdown-chunks';

export const HEADING_SEPARATOR = ' › ';
const EMBED_BATCH = 64;
const PROGRESS_EVERY_MS = 2000;
const DEFAULT_CATEGORY = 'general';

export interface IngestOptions {
  readonly dir: string;
  /** Remove the documents whose files are no longer in the folder. */
  readonly replace?: boolean;
  /** Stores chunk vectors when given. */
  readonly embedder?: Embedder;
  readonly log?: (line: string) => void;
  /** The most chunks with vectors a database without pgvector may hold (IN_PROCESS_MAX_CHUNKS). */
  readonly maxInProcessChunks?: number;
}

export interface IngestSummary {
  readonly documents: number;
  readonly chunks: number;
  readonly skipped: number;
  readonly embedded: number;
  readonly removed: number;
  readonly refused: number;
  readonly seconds: number;
  readonly vectorStore: StoreState['vectorStore'];
}

interface StoredDocument {
  id: number;
  source: string;
  content_hash: string;
  embedding_model: string | null;
  chunks: number;
}

const READ_DOCUMENTS = `SELECT d.id, d.source, d.content_hash, d.embedding_model,
    CAST((SELECT COUNT(*) FROM squad_docs.chunks c WHERE c.document_id = d.id) AS integer) AS chunks
  FROM squad_docs.documents d`;
const UPSERT_DOCUMENT = `INSERT INTO squad_docs.documents (source, title, category, content_hash, embedding_model, body, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, now())
  ON CONFLICT (source) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category, body = EXCLUDED.body,
    content_hash = EXCLUDED.content_hash, embedding_model = EXCLUDED.embedding_model, updated_at = now()
  RETURNING id`;
const DELETE_CHUNKS = 'DELETE FROM squad_docs.chunks WHERE document_id = $1';
const INSERT_CHUNK = `INSERT INTO squad_docs.chunks (document_id, ordinal, heading_path, text, embedding)
  SELECT $1, ordinal, heading_path, text, NULL FROM unnest($2::integer[], $3::text[], $4::text[]) AS t (ordinal, heading_path, text)`;
const SET_VECTOR_PGVECTOR = 'UPDATE squad_docs.chunks SET embedding = CAST($3 AS vector) WHERE document_id = $1 AND ordinal = $2';
const SET_VECTOR_ARRAY = 'UPDATE squad_docs.chunks SET embedding = CAST($3 AS real[]) WHERE document_id = $1 AND ordinal = $2';
const DELETE_DOCUMENT = 'DELETE FROM squad_docs.documents WHERE id = $1';
// Tells servers ranking vectors in process that the corpus changed.
const TOUCH_STORE = 'UPDATE squad_docs.store SET updated_at = now() WHERE id = 1';

/** What a file becomes in the store. */
interface Planned {
  readonly file: DocumentFile;
  readonly title: string;
  readonly category: string;
  readonly chunks: readonly Chunk[];
}

/** The text a chunk is embedded as: its place in the document, then its words. */
export function embeddingText(headingPath: string, text: string): string {
  return `${headingPath}\n\n${text}`;
}

function categoryOf(file: DocumentFile, fromFrontMatter: string | undefined): string {
  return (fromFrontMatter ?? file.folder ?? DEFAULT_CATEGORY).trim().toLowerCase().slice(0, 64) || DEFAULT_CATEGORY;
}

/** A pgvector literal (`[1,2,3]`) for pgvector, or the array itself for `real[]`. */
function vectorParam(vector: readonly number[], store: StoreState['vectorStore']): string | readonly number[] {
  return store === 'pgvector' ? `[${vector.join(',')}]` : vector;
}

/**
 * Loads every markdown file of a folder into the document store: a file whose content hash (and,
 * with embeddings, model) is unchanged is skipped; a changed one replaces its document and
 * chunks in one transaction; with `replace`, documents whose file is gone are removed.
 */
export async function ingestFolder(pool: Pool, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const log = options.log ?? ((): void => undefined);
  const state = await migrateDocumentStore(pool);
  const scan = await scanFolder(options.dir);
  scan.refused.forEach((line) => {
    log(line);
  });
  const stored = new Map((await pool.query<StoredDocument>(READ_DOCUMENTS)).rows.map((row) => [row.source, row]));
  const model = options.embedder?.model ?? null;
  const planned: Planned[] = [];
  let skipped = 0;
  for (const file of scan.files) {
    const previous = stored.get(file.source);
    if (previous !== undefined && previous.content_hash === file.hash && previous.embedding_model === model) {
      skipped += 1;
      continue;
    }
    // PostgreSQL text cannot hold NUL; nothing else is changed in what is stored.
    const parsed = parseMarkdown(file.text.replaceAll('\0', ''), file.name);
    planned.push({ file, title: parsed.title, category: categoryOf(file, parsed.category), chunks: parsed.chunks });
  }
  const seen = new Set(scan.files.map((file) => file.source));
  const gone = options.replace === true ? [...stored.values()].filter((row) => !seen.has(row.source)) : [];
  if (options.embedder !== undefined && state.vectorStore === 'in_process') {
    refuseBeyondBound(stored, planned, gone, options.maxInProcessChunks ?? IN_PROCESS_MAX_CHUNKS);
  }
  const client = await pool.connect();
  let chunks = 0;
  let embedded = 0;
  let lastProgress = performance.now();
  try {
    await client.query('BEGIN');
    await client.query(TAKE_INGEST_LOCK);
    for (const [index, plan] of planned.entries()) {
      const vectors = options.embedder === undefined ? undefined : await embedAll(options.embedder, plan.chunks);
      if (vectors !== undefined && options.embedder !== undefined && index === 0) {
        await recordEmbeddingModel(client, state, options.embedder.model, vectors[0]?.length ?? 0);
      }
      await writeDocument(client, plan, model, vectors, state.vectorStore);
      chunks += plan.chunks.length;
      embedded += vectors?.length ?? 0;
      if (performance.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = performance.now();
        log(`… ${index + 1}/${planned.length} documents, ${chunks} chunks, ${embedded} embedded`);
      }
    }
    for (const row of gone) {
      await client.query(DELETE_DOCUMENT, [row.id]);
    }
    await client.query(TOUCH_STORE);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return {
    documents: planned.length,
    chunks,
    skipped,
    embedded,
    removed: gone.length,
    refused: scan.refused.length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    vectorStore: state.vectorStore,
  };
}

function refuseBeyondBound(stored: ReadonlyMap<string, StoredDocument>, planned: readonly Planned[], gone: readonly StoredDocument[], bound: number): void {
  const replaced = new Set([...planned.map((plan) => plan.file.source), ...gone.map((row) => row.source)]);
  const kept = [...stored.values()].filter((row) => !replaced.has(row.source)).reduce((sum, row) => sum + row.chunks, 0);
  const total = kept + planned.reduce((sum, plan) => sum + plan.chunks.length, 0);
  if (total > bound) {
    throw new Error(
      `${total} chunks exceed the ${bound} that vectors without pgvector allow: install pgvector on this database, or ingest without EMBEDDINGS_URL`,
    );
  }
}

async function embedAll(embedder: Embedder, chunks: readonly Chunk[]): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
    const batch = chunks.slice(start, start + EMBED_BATCH);
    vectors.push(...(await embedder.embed(batch.map((chunk) => embeddingText(chunk.headingPath.join(HEADING_SEPARATOR), chunk.text)))));
  }
  return vectors;
}

async function writeDocument(
  client: PoolClient,
  plan: Planned,
  model: string | null,
  vectors: readonly number[][] | undefined,
  store: StoreState['vectorStore'],
): Promise<void> {
  const upserted = await client.query<{ id: number }>(UPSERT_DOCUMENT, [plan.file.source, plan.title, plan.category, plan.file.hash, model, plan.file.text.replaceAll('\0', '')]);
  const id = upserted.rows[0]?.id;
  await client.query(DELETE_CHUNKS, [id]);
  await client.query(INSERT_CHUNK, [
    id,
    plan.chunks.map((_chunk, ordinal) => ordinal),
    plan.chunks.map((chunk) => chunk.headingPath.join(HEADING_SEPARATOR)),
    plan.chunks.map((chunk) => chunk.text),
  ]);
  for (const [ordinal, vector] of (vectors ?? []).entries()) {
    await client.query(store === 'pgvector' ? SET_VECTOR_PGVECTOR : SET_VECTOR_ARRAY, [id, ordinal, vectorParam(vector, store)]);
  }
}

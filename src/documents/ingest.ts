import type { Pool, PoolClient } from 'pg';

import { decodeContent, type DocumentEntry, listFolder, readContent, type RefusedFile } from './document-files';
import { IN_PROCESS_MAX_CHUNKS, migrateDocumentStore, recordEmbeddingModel, type StoreState, TAKE_INGEST_LOCK } from './document-schema';
import { DOCUMENT_CATEGORY_MAX, DOCUMENT_SOURCE_MAX, DOCUMENT_TITLE_MAX } from './dto/document.dto';
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
  /** Files present but not ingested (their stored versions, if any, are kept). */
  readonly refused: number;
  /** Files ingested with a field cut to what the document tools answer (a title, a category). */
  readonly trimmed: number;
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
// How much of an over-long source a refusal line shows.
const SHOWN_SOURCE_CHARS = 60;

/** What a file becomes in the store. */
interface Planned {
  readonly source: string;
  readonly hash: string;
  readonly body: string;
  readonly title: string;
  readonly category: string;
  readonly chunks: readonly Chunk[];
}

/** The text a chunk is embedded as: its place in the document, then its words. */
export function embeddingText(headingPath: string, text: string): string {
  return `${headingPath}\n\n${text}`;
}

/** `value` cut to `max` characters, noting in `notes` what was cut. */
function fitted(field: string, value: string, max: number, notes: string[]): string {
  if (value.length <= max) {
    return value;
  }
  notes.push(`${field} cut from ${value.length} to ${max} characters`);
  return value.slice(0, max).trimEnd();
}

/** A pgvector literal (`[1,2,3]`) for pgvector, or the array itself for `real[]`. */
function vectorParam(vector: readonly number[], store: StoreState['vectorStore']): string | readonly number[] {
  return store === 'pgvector' ? `[${vector.join(',')}]` : vector;
}

/** The chunks a database without pgvector will hold once the run commits, which must stay within IN_PROCESS_MAX_CHUNKS. */
class ChunkBound {
  private total: number;

  constructor(
    stored: ReadonlyMap<string, StoredDocument>,
    gone: readonly StoredDocument[],
    private readonly bound: number,
  ) {
    const goneSources = new Set(gone.map((row) => row.source));
    this.total = [...stored.values()].filter((row) => !goneSources.has(row.source)).reduce((sum, row) => sum + row.chunks, 0);
  }

  replace(previous: StoredDocument | undefined, chunks: number): void {
    this.total += chunks - (previous?.chunks ?? 0);
  }

  check(): void {
    if (this.total > this.bound) {
      throw new Error(
        `${this.total} chunks exceed the ${this.bound} that vectors without pgvector allow: install pgvector on this database, or ingest without EMBEDDINGS_URL`,
      );
    }
  }
}

/**
 * Loads every markdown file of a folder into the document store, reading one file at a time so
 * memory stays bounded whatever the folder holds: a file whose content hash (and, with
 * embeddings, model) is unchanged is skipped; a changed one replaces its document and chunks; with
 * `replace`, documents whose file is gone are removed (a file present but refused keeps its stored
 * version). A title or category longer than the document tools answer is cut, and a source path
 * longer than that is refused, each with a line saying so. Everything is written in one transaction.
 */
export async function ingestFolder(pool: Pool, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const log = options.log ?? ((): void => undefined);
  const state = await migrateDocumentStore(pool);
  const items = await listFolder(options.dir);
  const stored = new Map((await pool.query<StoredDocument>(READ_DOCUMENTS)).rows.map((row) => [row.source, row]));
  const model = options.embedder?.model ?? null;
  const present = new Set(items.map((item) => ('entry' in item ? item.entry.source : item.refused.source)));
  const gone = options.replace === true ? [...stored.values()].filter((row) => !present.has(row.source)) : [];
  const bound =
    options.embedder !== undefined && state.vectorStore === 'in_process' ? new ChunkBound(stored, gone, options.maxInProcessChunks ?? IN_PROCESS_MAX_CHUNKS) : undefined;
  const counts = { documents: 0, chunks: 0, skipped: 0, embedded: 0, refused: 0, trimmed: 0 };
  const refuse = (refused: RefusedFile): void => {
    counts.refused += 1;
    log(`refused ${refused.source}: ${refused.reason}`);
  };
  const client = await pool.connect();
  let modelRecorded = false;
  let lastProgress = performance.now();
  try {
    await client.query('BEGIN');
    await client.query(TAKE_INGEST_LOCK);
    for (const [index, item] of items.entries()) {
      if ('refused' in item) {
        refuse(item.refused);
        continue;
      }
      const plan = await planOf(item.entry, stored, model, refuse, log);
      if (plan === 'skipped') {
        counts.skipped += 1;
        continue;
      }
      if (plan === undefined) {
        continue;
      }
      counts.trimmed += plan.trimmed ? 1 : 0;
      bound?.replace(stored.get(plan.source), plan.chunks.length);
      const vectors = options.embedder === undefined ? undefined : await embedAll(options.embedder, plan.chunks);
      if (vectors !== undefined && options.embedder !== undefined && !modelRecorded) {
        await recordEmbeddingModel(client, state, options.embedder.model, vectors[0]?.length ?? 0);
        modelRecorded = true;
      }
      await writeDocument(client, plan, model, vectors, state.vectorStore);
      counts.documents += 1;
      counts.chunks += plan.chunks.length;
      counts.embedded += vectors?.length ?? 0;
      if (performance.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = performance.now();
        log(`… ${index + 1}/${items.length} files, ${counts.chunks} chunks, ${counts.embedded} embedded`);
      }
    }
    bound?.check();
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
  return { ...counts, removed: gone.length, seconds: Math.round((performance.now() - started) / 100) / 10, vectorStore: state.vectorStore };
}

/** What one file becomes: a plan to write, `skipped` when unchanged, or undefined when refused (and reported). */
async function planOf(
  entry: DocumentEntry,
  stored: ReadonlyMap<string, StoredDocument>,
  model: string | null,
  refuse: (refused: RefusedFile) => void,
  log: (line: string) => void,
): Promise<(Planned & { trimmed: boolean }) | 'skipped' | undefined> {
  if (entry.source.length > DOCUMENT_SOURCE_MAX) {
    refuse({
      source: `${entry.source.slice(0, SHOWN_SOURCE_CHARS)}…`,
      reason: `its path is ${entry.source.length} characters, longer than the ${DOCUMENT_SOURCE_MAX} a source may be`,
    });
    return undefined;
  }
  const content = await readContent(entry);
  if ('reason' in content) {
    refuse(content);
    return undefined;
  }
  const previous = stored.get(entry.source);
  if (previous !== undefined && previous.content_hash === content.hash && previous.embedding_model === model) {
    return 'skipped';
  }
  const text = decodeContent(entry, content);
  if (typeof text !== 'string') {
    refuse(text);
    return undefined;
  }
  // PostgreSQL text cannot hold NUL; nothing else is changed in what is stored.
  const body = text.replaceAll('\0', '');
  const parsed = parseMarkdown(body, entry.name);
  const notes: string[] = [];
  const title = fitted('title', parsed.title, DOCUMENT_TITLE_MAX, notes);
  const category = fitted('category', (parsed.category ?? entry.folder ?? DEFAULT_CATEGORY).trim().toLowerCase(), DOCUMENT_CATEGORY_MAX, notes) || DEFAULT_CATEGORY;
  if (notes.length > 0) {
    log(`trimmed ${entry.source}: ${notes.join('; ')}`);
  }
  return { source: entry.source, hash: content.hash, body, title, category, chunks: parsed.chunks, trimmed: notes.length > 0 };
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
  const upserted = await client.query<{ id: number }>(UPSERT_DOCUMENT, [plan.source, plan.title, plan.category, plan.hash, model, plan.body]);
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

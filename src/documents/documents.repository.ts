import { Injectable } from '@nestjs/common';

import { ReadOnlyGateway } from '../database/read-only-gateway';
import type { SqlQuery } from '../database/sql-query';
import type { VectorStore } from './document-schema';
import { DOCUMENT_CATEGORY_MAX, DOCUMENT_SOURCE_MAX, DOCUMENT_TITLE_MAX } from './dto/document.dto';

export interface StoreRow {
  vector_store: VectorStore;
  embedding_model: string | null;
  dimensions: number | null;
  /** Changes whenever an ingestion writes: when cached vectors must be read again. */
  version: string;
}

/** A chunk in a ranking, best first. */
export interface HitRow {
  chunk_id: number;
  document_id: number;
  score: number;
}

export interface VectorRow {
  chunk_id: number;
  document_id: number;
  category: string;
  embedding: number[];
}

export interface PassageRow {
  chunk_id: number;
  document_id: number;
  title: string;
  category: string;
  source: string;
  heading_path: string;
  snippet: string;
}

export interface DocumentSummaryRow {
  id: number;
  title: string;
  category: string;
  source: string;
  updated_at: Date;
}

export interface DocumentRow extends DocumentSummaryRow {
  /** The whole markdown file as ingested. */
  body: string;
}

const STORE_READY: SqlQuery<never> = {
  name: 'documents_store_ready',
  text: "SELECT to_regclass('squad_docs.store') IS NOT NULL AS ready",
  params: [],
};
const STORE: SqlQuery<never> = {
  name: 'documents_store',
  text: 'SELECT vector_store, embedding_model, dimensions, CAST(updated_at AS text) AS version FROM squad_docs.store WHERE id = 1',
  params: [],
};
// Normalization 1 divides the cover density by 1 + log(length), so long chunks do not win by size.
const KEYWORD: SqlQuery<'terms' | 'limit'> = {
  name: 'documents_keyword',
  text: `SELECT c.id AS chunk_id, c.document_id, CAST(ts_rank_cd(c.search, q.query, 1) AS float8) AS score
    FROM squad_docs.chunks c, to_tsquery('english', $1) AS q (query)
    WHERE c.search @@ q.query
    ORDER BY score DESC, c.id LIMIT $2`,
  params: ['terms', 'limit'],
};
const KEYWORD_IN_CATEGORY: SqlQuery<'terms' | 'limit' | 'category'> = {
  name: 'documents_keyword',
  statement: 'documents_keyword[category]',
  text: `SELECT c.id AS chunk_id, c.document_id, CAST(ts_rank_cd(c.search, q.query, 1) AS float8) AS score
    FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id, to_tsquery('english', $1) AS q (query)
    WHERE c.search @@ q.query AND d.category = $3
    ORDER BY score DESC, c.id LIMIT $2`,
  params: ['terms', 'limit', 'category'],
};
// Ordered by the distance alone, so the HNSW index can serve the ORDER BY … LIMIT.
const NEAREST: SqlQuery<'vector' | 'limit'> = {
  name: 'documents_nearest',
  text: `SELECT c.id AS chunk_id, c.document_id, CAST(1 - (c.embedding <=> CAST($1 AS vector)) AS float8) AS score
    FROM squad_docs.chunks c WHERE c.embedding IS NOT NULL
    ORDER BY c.embedding <=> CAST($1 AS vector) LIMIT $2`,
  params: ['vector', 'limit'],
};
const NEAREST_IN_CATEGORY: SqlQuery<'vector' | 'limit' | 'category'> = {
  name: 'documents_nearest',
  statement: 'documents_nearest[category]',
  text: `SELECT c.id AS chunk_id, c.document_id, CAST(1 - (c.embedding <=> CAST($1 AS vector)) AS float8) AS score
    FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id
    WHERE c.embedding IS NOT NULL AND d.category = $3
    ORDER BY c.embedding <=> CAST($1 AS vector) LIMIT $2`,
  params: ['vector', 'limit', 'category'],
};
const ALL_VECTORS: SqlQuery<never> = {
  name: 'documents_all_vectors',
  text: `SELECT c.id AS chunk_id, c.document_id, d.category, c.embedding
    FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id
    WHERE c.embedding IS NOT NULL ORDER BY c.id`,
  params: [],
};
const PASSAGES: SqlQuery<'chunkIds' | 'terms'> = {
  name: 'documents_passages',
  text: `SELECT c.id AS chunk_id, d.id AS document_id, d.title, d.category, d.source, c.heading_path,
      ts_headline('english', c.text, to_tsquery('english', $2),
        'MaxWords=45, MinWords=20, MaxFragments=2, FragmentDelimiter=" … ", StartSel="", StopSel=""') AS snippet
    FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id
    WHERE c.id = ANY (CAST($1 AS integer[]))`,
  params: ['chunkIds', 'terms'],
};
const DOCUMENT: SqlQuery<'id'> = {
  name: 'documents_one',
  text: 'SELECT id, title, category, source, updated_at, body FROM squad_docs.documents WHERE id = $1',
  params: ['id'],
};
type FieldBounds = 'titleMax' | 'categoryMax' | 'sourceMax';
const FIELD_BOUNDS: Record<FieldBounds, number> = { titleMax: DOCUMENT_TITLE_MAX, categoryMax: DOCUMENT_CATEGORY_MAX, sourceMax: DOCUMENT_SOURCE_MAX };
// Pages hold only the rows the output contract can carry (as ingestion makes them), so a row stored
// otherwise never fails a listing; the count says how many were left out, for the log and metrics.
const DOCUMENT_PAGE: SqlQuery<'limit' | 'offset' | FieldBounds> = {
  name: 'documents_list',
  text: `SELECT id, title, category, source, updated_at FROM squad_docs.documents
    WHERE char_length(title) <= $3 AND char_length(category) <= $4 AND char_length(source) <= $5
    ORDER BY id LIMIT $1 OFFSET $2`,
  params: ['limit', 'offset', 'titleMax', 'categoryMax', 'sourceMax'],
};
const DOCUMENT_COUNT: SqlQuery<FieldBounds> = {
  name: 'documents_list_count',
  text: `SELECT CAST(COUNT(*) FILTER (WHERE servable) AS integer) AS total,
      (array_agg(id ORDER BY id) FILTER (WHERE NOT servable))[1:20] AS skipped_ids,
      CAST(COUNT(*) FILTER (WHERE NOT servable) AS integer) AS skipped
    FROM (SELECT id, char_length(title) <= $1 AND char_length(category) <= $2 AND char_length(source) <= $3 AS servable
      FROM squad_docs.documents) AS d`,
  params: ['titleMax', 'categoryMax', 'sourceMax'],
};

/**
 * The document store's read-only SQL: keyword and vector rankings of chunks, their snippets, and
 * whole documents (for a documents resource). Every statement runs through the read-only gateway.
 */
@Injectable()
export class DocumentsRepository {
  // Once the schema exists it stays; until then every search asks again.
  private schemaSeen = false;

  constructor(private readonly gateway: ReadOnlyGateway) {}

  /** The store's settings row; undefined while nothing was ever ingested into this database. */
  async store(): Promise<StoreRow | undefined> {
    if (!this.schemaSeen) {
      const [probe] = await this.gateway.rows<{ ready: boolean }, never>(STORE_READY, {});
      if (probe?.ready !== true) {
        return undefined;
      }
      this.schemaSeen = true;
    }
    const [row] = await this.gateway.rows<StoreRow, never>(STORE, {});
    return row;
  }

  /** Chunks matching any of the tsquery's terms, by cover density. */
  keyword(terms: string, category: string | undefined, limit: number): Promise<HitRow[]> {
    return category === undefined
      ? this.gateway.rows<HitRow, 'terms' | 'limit'>(KEYWORD, { terms, limit })
      : this.gateway.rows<HitRow, 'terms' | 'limit' | 'category'>(KEYWORD_IN_CATEGORY, { terms, limit, category });
  }

  /** Chunks nearest to the vector by cosine distance, through pgvector's index. */
  nearest(vector: readonly number[], category: string | undefined, limit: number): Promise<HitRow[]> {
    const literal = `[${vector.join(',')}]`;
    return category === undefined
      ? this.gateway.rows<HitRow, 'vector' | 'limit'>(NEAREST, { vector: literal, limit })
      : this.gateway.rows<HitRow, 'vector' | 'limit' | 'category'>(NEAREST_IN_CATEGORY, { vector: literal, limit, category });
  }

  /** Every stored `real[]` vector, for ranking in process. */
  allVectors(): Promise<VectorRow[]> {
    return this.gateway.rows<VectorRow, never>(ALL_VECTORS, {});
  }

  /** The chunks' documents and snippets around the terms (the chunk's start when none matches); in no particular order. */
  passages(chunkIds: readonly number[], terms: string): Promise<PassageRow[]> {
    return this.gateway.rows<PassageRow, 'chunkIds' | 'terms'>(PASSAGES, { chunkIds, terms });
  }

  /** One document's whole text; undefined when no document has this id. */
  async document(id: number): Promise<DocumentRow | undefined> {
    const [row] = await this.gateway.rows<DocumentRow, 'id'>(DOCUMENT, { id });
    return row;
  }

  /**
   * A page of the documents the tools can answer with, by id, and how many there are; and how many
   * stored rows were left out (with the first ids).
   */
  async documents(limit: number, offset: number): Promise<{ rows: DocumentSummaryRow[]; total: number; skipped: number; skippedIds: number[] }> {
    const [rows, counts] = await Promise.all([
      this.gateway.rows<DocumentSummaryRow, 'limit' | 'offset' | FieldBounds>(DOCUMENT_PAGE, { limit, offset, ...FIELD_BOUNDS }),
      this.gateway.rows<{ total: number; skipped: number; skipped_ids: number[] | null }, FieldBounds>(DOCUMENT_COUNT, FIELD_BOUNDS),
    ]);
    const [count] = counts;
    return { rows, total: count?.total ?? 0, skipped: count?.skipped ?? 0, skippedIds: count?.skipped_ids ?? [] };
  }
}

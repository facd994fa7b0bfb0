import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { type Page, toPage } from '../common/dto/pagination';
import { AppError } from '../common/errors/app-error';
import { lineForModel, textForModel } from '../common/text/model-text';
import { wholeCharacterEnd } from '../common/util/text-cut';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { RetrievalSpans } from '../observability/tracing/retrieval-spans';
import type { DocumentSummaryRow, HitRow, PassageRow, StoreRow } from './documents.repository';
import { DocumentsRepository } from './documents.repository';
import { DOCUMENT_CATEGORY_MAX, DOCUMENT_SOURCE_MAX, DOCUMENT_TITLE_MAX, type DocumentSummary, type DocumentText, type GetDocumentInput, type ListDocumentsInput } from './dto/document.dto';
import { type DocumentHit, type DocumentSearchResult, type SearchDocumentsInput, type SearchMode } from './dto/search-documents.dto';
import { embedderOf } from './embedder-of';
import { EmbeddingsFailure } from './embeddings-client';
import { InProcessVectors } from './in-process-vectors';
import { keywordTerms } from './keyword-terms';
import { QueryVectorCache } from './query-vector-cache';
import { bestPerDocument, fuseRankings } from './rank-fusion';

const DEFAULT_LIMIT = 5;
/** The data source a retrieval span names: the help center documents ingested into this database. */
const DATA_SOURCE_ID = 'squad_help_center';
const REDIS_STARTUP_WAIT_MS = 1000;
// Each ranking offers this many chunks per document asked for, so fusion has room to reorder.
const CANDIDATES_PER_RESULT = 4;
const MIN_CANDIDATES = 20;
// The bounds of a search hit's heading path and snippet (SearchDocumentsResult).
const MAX_HEADING_PATH = 2000;
const MAX_SNIPPET = 4000;
/** How /health describes document search on this deployment. */
export interface DocumentSearchStatus {
  /** `not_ingested`: the database has no document store yet (run `npm run ingest`). */
  readonly store: 'ready' | 'not_ingested' | 'unreachable';
  /** Where vectors are ranked: `pgvector` (in the database, HNSW), `in_process` (`real[]`), or `none`. */
  readonly vector_path: 'pgvector' | 'in_process' | 'none';
  /** `hybrid` when embeddings are configured and the stored vectors come from the configured model. */
  readonly mode: SearchMode;
  readonly embeddings_model: string | null;
}

/** The field of a stored row longer than the document tools answer with (rows stored before ingestion trimmed them, or by hand). */
function unservableField(row: Pick<DocumentSummaryRow, 'title' | 'category' | 'source'>): 'title' | 'category' | 'source' | undefined {
  if (row.title.length > DOCUMENT_TITLE_MAX) {
    return 'title';
  }
  if (row.category.length > DOCUMENT_CATEGORY_MAX) {
    return 'category';
  }
  return row.source.length > DOCUMENT_SOURCE_MAX ? 'source' : undefined;
}

function summaryOf(row: DocumentSummaryRow): Omit<DocumentText, 'text' | 'offset' | 'next_offset' | 'total_chars'> {
  return {
    document_id: row.id,
    title: lineForModel(row.title, DOCUMENT_TITLE_MAX),
    category: lineForModel(row.category, DOCUMENT_CATEGORY_MAX),
    source: row.source,
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * Document retrieval: keyword search always, fused with semantic search when an embeddings
 * endpoint is configured and the stored vectors come from its model. When the endpoint fails, the
 * answer comes from keyword search alone and says so (`mode: "keyword"`).
 */
@Injectable()
export class DocumentsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Documents');
  private readonly vectors: QueryVectorCache | undefined;
  private readonly inProcess: InProcessVectors;
  private mismatchLogged = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: DocumentsRepository,
    private readonly metrics: Metrics,
    private readonly retrievals: RetrievalSpans,
  ) {
    const embedder = embedderOf(config);
    this.vectors = embedder === undefined ? undefined : new QueryVectorCache(embedder, config.redisUrl);
    this.inProcess = new InProcessVectors(() => this.repository.allVectors());
  }

  /** Gives Redis a moment to answer, without making start-up depend on it. */
  async onModuleInit(): Promise<void> {
    await this.vectors?.ready(REDIS_STARTUP_WAIT_MS);
  }

  async search(input: SearchDocumentsInput): Promise<DocumentSearchResult> {
    const limit = input.limit ?? DEFAULT_LIMIT;
    return this.retrievals.run({ dataSourceId: DATA_SOURCE_ID, topK: limit, query: input.query }, () => this.retrieve(input, limit));
  }

  private async retrieve(input: SearchDocumentsInput, limit: number): Promise<DocumentSearchResult> {
    const candidates = Math.max(limit * CANDIDATES_PER_RESULT, MIN_CANDIDATES);
    const terms = keywordTerms(input.query);
    const store = await this.repository.store();
    if (store === undefined) {
      this.logger.warn({ event: 'documents_not_ingested' }, 'search_documents called, but no documents were ingested into this database');
      return { mode: 'keyword', items: [] };
    }
    // Ingestion stores categories in lower case.
    const category = input.category?.toLowerCase();
    const keyword = terms === '' ? [] : await this.repository.keyword(terms, category, candidates);
    const semantic = await this.semantic(input.query, category, store, candidates);
    if (semantic === undefined) {
      return { mode: 'keyword', items: await this.describe(bestPerDocument(keyword, limit), terms) };
    }
    return { mode: 'hybrid', items: await this.describe(bestPerDocument(fuseRankings([keyword, semantic]), limit), terms) };
  }

  /** A part of one document's text, as ingested: at most `max_chars` characters from `offset`, never half a character. */
  async document(input: GetDocumentInput): Promise<DocumentText> {
    const row = (await this.repository.store()) === undefined ? undefined : await this.repository.document(input.document_id);
    if (row !== undefined && unservableField(row) !== undefined) {
      this.skipped('get_document', [row]);
      throw AppError.notFound(`Document ${input.document_id} cannot be served`, 'Ask the operator to ingest the help center again');
    }
    if (row === undefined) {
      throw AppError.notFound(`Document ${input.document_id} not found`, "Use search_documents or list_documents to find a document's id");
    }
    const whole = textForModel(row.body);
    if (input.offset > whole.length) {
      throw AppError.invalidInput([{ field: 'offset', message: `must be at most ${whole.length}, the length of the document` }]);
    }
    const end = wholeCharacterEnd(whole, input.offset + input.max_chars);
    // A part always advances: a cut that would keep nothing keeps the whole character instead.
    const stop = end > input.offset ? end : Math.min(whole.length, input.offset + 2);
    return {
      ...summaryOf(row),
      text: whole.slice(input.offset, stop),
      offset: input.offset,
      next_offset: stop < whole.length ? stop : null,
      total_chars: whole.length,
    };
  }

  /** The ingested documents by id, a page at a time. */
  async documents(input: ListDocumentsInput): Promise<Page<DocumentSummary>> {
    if ((await this.repository.store()) === undefined) {
      return toPage([], 0, input);
    }
    const { rows, total, skipped, skippedIds } = await this.repository.documents(input.limit, input.offset);
    if (skipped > 0) {
      this.metrics.documentsSkipped('list_documents', skipped);
      this.logger.warn(
        { event: 'documents_skipped', tool_name: 'list_documents', count: skipped, document_ids: skippedIds },
        `${skipped} stored document(s) left out: a title, category or source longer than the tools answer with (ingest again to trim them)`,
      );
    }
    return toPage(rows.map(summaryOf), total, input);
  }

  /** What /health shows about document search. */
  async status(): Promise<DocumentSearchStatus> {
    let store: StoreRow | undefined;
    try {
      store = await this.repository.store();
    } catch {
      return { store: 'unreachable', vector_path: 'none', mode: 'keyword', embeddings_model: this.vectors?.model ?? null };
    }
    const vectorPath = store !== undefined && this.usable(store) ? store.vector_store : 'none';
    return {
      store: store === undefined ? 'not_ingested' : 'ready',
      vector_path: vectorPath,
      mode: vectorPath === 'none' ? 'keyword' : 'hybrid',
      embeddings_model: this.vectors?.model ?? null,
    };
  }

  /** The semantic ranking, or undefined when there is none to give (not configured, or the endpoint failed). */
  private async semantic(query: string, category: string | undefined, store: StoreRow, candidates: number): Promise<HitRow[] | undefined> {
    if (this.vectors === undefined || !this.usable(store)) {
      return undefined;
    }
    let vector: number[];
    try {
      vector = await this.vectors.vectorOf(query);
    } catch (error) {
      if (!(error instanceof EmbeddingsFailure)) {
        throw error;
      }
      this.metrics.dependencyError('embeddings', error.reason);
      this.metrics.documentSearchFallback(error.reason);
      this.logger.warn({ event: 'document_search_fallback', reason: error.reason }, 'Embeddings endpoint failed: answering from keyword search');
      return undefined;
    }
    return store.vector_store === 'pgvector'
      ? this.repository.nearest(vector, category, candidates)
      : this.inProcess.nearest(vector, store.version, category, candidates);
  }

  /** Whether the stored vectors were made by the configured model; logged once when not. */
  private usable(store: StoreRow): boolean {
    if (this.vectors === undefined) {
      return false;
    }
    if (store.embedding_model === this.vectors.model) {
      return true;
    }
    if (!this.mismatchLogged) {
      this.mismatchLogged = true;
      this.logger.warn(
        { event: 'documents_model_mismatch', stored_model: store.embedding_model, configured_model: this.vectors.model },
        'Stored document vectors do not come from EMBEDDINGS_MODEL: keyword search only until the documents are ingested again',
      );
    }
    return false;
  }

  private async describe(hits: readonly { chunk_id: number; score: number }[], terms: string): Promise<DocumentHit[]> {
    if (hits.length === 0) {
      return [];
    }
    const rows = await this.repository.passages(hits.map((hit) => hit.chunk_id), terms);
    const unservable = rows.filter((row) => unservableField(row) !== undefined);
    if (unservable.length > 0) {
      this.skipped('search_documents', unservable.map((row) => ({ ...row, id: row.document_id })));
    }
    const passages = new Map<number, PassageRow>(rows.filter((row) => unservableField(row) === undefined).map((row) => [row.chunk_id, row]));
    return hits.flatMap((hit) => {
      const passage = passages.get(hit.chunk_id);
      return passage === undefined
        ? []
        : [
            {
              document_id: passage.document_id,
              title: lineForModel(passage.title, DOCUMENT_TITLE_MAX),
              category: lineForModel(passage.category, DOCUMENT_CATEGORY_MAX),
              heading_path: lineForModel(passage.heading_path, MAX_HEADING_PATH),
              snippet: lineForModel(passage.snippet, MAX_SNIPPET),
              score: Math.round(hit.score * 1e6) / 1e6,
              source: passage.source,
            },
          ];
    });
  }

  /** Counts and logs stored rows an answer left out, naming their ids and the field at fault. */
  private skipped(toolName: string, rows: readonly (Pick<DocumentSummaryRow, 'id' | 'title' | 'category' | 'source'>)[]): void {
    this.metrics.documentsSkipped(toolName, rows.length);
    this.logger.warn(
      { event: 'documents_skipped', tool_name: toolName, count: rows.length, document_ids: rows.map((row) => row.id), fields: rows.map(unservableField) },
      `${rows.length} stored document(s) left out: a title, category or source longer than the tools answer with (ingest again to trim them)`,
    );
  }

  onModuleDestroy(): void {
    this.vectors?.close();
  }
}

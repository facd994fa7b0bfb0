import { Pool } from 'pg';

import { endPool } from '../../src/demo/end-pool';
import { DEMO_CORPUS_DIR } from '../../src/documents/demo-corpus';
import type { Embedder } from '../../src/documents/embeddings-client';
import { ingestFolder, type IngestSummary } from '../../src/documents/ingest';
import { createDatabase } from './test-database';

/** A fresh database of the machine's PostgreSQL holding the demo help center (and vectors, given an embedder). */
export async function helpCenterDatabase(name: string, embedder?: Embedder, extraDir?: string): Promise<{ url: string; summary: IngestSummary }> {
  const url = await createDatabase(`${name}_${process.pid}_${Date.now()}`);
  const summary = await ingestInto(url, DEMO_CORPUS_DIR, embedder);
  if (extraDir !== undefined) {
    await ingestInto(url, extraDir, embedder);
  }
  return { url, summary };
}

export async function ingestInto(url: string, dir: string, embedder?: Embedder): Promise<IngestSummary> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return await ingestFolder(pool, { dir, ...(embedder === undefined ? {} : { embedder }) });
  } finally {
    await endPool(pool);
  }
}

export interface LabelledQuery {
  readonly query: string;
  readonly expected: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON fixture beside the corpus
export const LABELLED_QUERIES = (require('../../corpus/help-center-queries.json') as { queries: LabelledQuery[] }).queries;

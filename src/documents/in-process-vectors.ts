import type { HitRow, VectorRow } from './documents.repository';

interface Entry {
  readonly chunk_id: number;
  readonly document_id: number;
  readonly category: string;
  readonly vector: Float32Array;
}

function unit(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  if (norm > 0) {
    vector.forEach((value, index) => {
      vector[index] = value / norm;
    });
  }
  return vector;
}

/**
 * The `real[]` vectors of a database without pgvector, held in memory as unit vectors and ranked by
 * cosine similarity with a full scan; reloaded when the store's version changes. The ingestion
 * bound (IN_PROCESS_MAX_CHUNKS) keeps the scan and the memory small.
 */
export class InProcessVectors {
  private entries: readonly Entry[] = [];
  private version: string | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly load: () => Promise<VectorRow[]>) {}

  /** The `limit` chunks most similar to `query`, best first (ties by chunk id). */
  async nearest(query: readonly number[], version: string, category: string | undefined, limit: number): Promise<HitRow[]> {
    await this.refresh(version);
    const target = unit(query);
    const scored: HitRow[] = [];
    for (const entry of this.entries) {
      if (entry.vector.length !== target.length || (category !== undefined && entry.category !== category)) {
        continue;
      }
      let dot = 0;
      for (let index = 0; index < target.length; index += 1) {
        dot += (entry.vector[index] ?? 0) * (target[index] ?? 0);
      }
      scored.push({ chunk_id: entry.chunk_id, document_id: entry.document_id, score: dot });
    }
    return scored.sort((a, b) => b.score - a.score || a.chunk_id - b.chunk_id).slice(0, limit);
  }

  private async refresh(version: string): Promise<void> {
    while (this.version !== version) {
      this.loading ??= this.load()
        .then((rows) => {
          this.entries = rows.map((row) => ({ chunk_id: row.chunk_id, document_id: row.document_id, category: row.category, vector: unit(row.embedding) }));
          this.version = version;
        })
        .finally(() => {
          this.loading = undefined;
        });
      await this.loading;
    }
  }
}

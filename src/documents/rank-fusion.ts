/** A ranked chunk: what the keyword and vector rankings have in common. */
export interface RankedChunk {
  readonly chunk_id: number;
  readonly document_id: number;
}

export interface FusedChunk extends RankedChunk {
  readonly score: number;
}

/** The usual constant of reciprocal rank fusion: it damps the weight of the very first ranks. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: a chunk scores Σ 1 / (k + rank) over the rankings that hold it (rank
 * from 1), so agreement between rankings beats a high place in one, and scores of different scales
 * (cover density, cosine similarity) never have to be compared. Ties go to the lower chunk id.
 */
export function fuseRankings(rankings: readonly (readonly RankedChunk[])[], k = RRF_K): FusedChunk[] {
  const fused = new Map<number, { chunk: RankedChunk; score: number }>();
  for (const ranking of rankings) {
    ranking.forEach((chunk, index) => {
      const entry = fused.get(chunk.chunk_id) ?? { chunk, score: 0 };
      entry.score += 1 / (k + index + 1);
      fused.set(chunk.chunk_id, entry);
    });
  }
  return [...fused.values()]
    .map(({ chunk, score }) => ({ chunk_id: chunk.chunk_id, document_id: chunk.document_id, score }))
    .sort((a, b) => b.score - a.score || a.chunk_id - b.chunk_id);
}

/** The best chunk of each document, in ranking order, at most `limit` of them. */
export function bestPerDocument<T extends RankedChunk>(ranking: readonly T[], limit: number): T[] {
  const seen = new Set<number>();
  const best: T[] = [];
  for (const chunk of ranking) {
    if (best.length >= limit) {
      break;
    }
    if (!seen.has(chunk.document_id)) {
      seen.add(chunk.document_id);
      best.push(chunk);
    }
  }
  return best;
}

import { bestPerDocument, fuseRankings, RRF_K } from './rank-fusion';

const chunk = (chunk_id: number, document_id = chunk_id): { chunk_id: number; document_id: number } => ({ chunk_id, document_id });

describe('fuseRankings', () => {
  it('scores each chunk by the sum of 1 / (k + rank) over the rankings holding it', () => {
    const fused = fuseRankings([[chunk(1), chunk(2)], [chunk(2), chunk(3)]]);
    expect(fused.map((entry) => entry.chunk_id)).toEqual([2, 1, 3]);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 1), 12);
    expect(fused[1]!.score).toBeCloseTo(1 / (RRF_K + 1), 12);
  });

  it('puts agreement between rankings above first place in one of them', () => {
    const fused = fuseRankings([[chunk(9), chunk(5)], [chunk(7), chunk(5)]]);
    expect(fused[0]!.chunk_id).toBe(5);
  });

  it('breaks ties by chunk id and handles empty rankings', () => {
    expect(fuseRankings([[chunk(4)], [chunk(3)]]).map((entry) => entry.chunk_id)).toEqual([3, 4]);
    expect(fuseRankings([[], []])).toEqual([]);
  });
});

describe('bestPerDocument', () => {
  it('keeps the first chunk of each document in order, up to the limit', () => {
    const ranking = [chunk(1, 10), chunk(2, 10), chunk(3, 11), chunk(4, 12), chunk(5, 11)];
    expect(bestPerDocument(ranking, 5).map((entry) => entry.chunk_id)).toEqual([1, 3, 4]);
    expect(bestPerDocument(ranking, 2).map((entry) => entry.chunk_id)).toEqual([1, 3]);
  });
});

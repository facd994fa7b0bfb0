import fc from 'fast-check';

import { fitToBudget } from './result-budget';

function page(count: number, itemBytes: number, offset = 0, total = offset + count + 50) {
  const items = Array.from({ length: count }, (_, index) => ({ id: offset + index + 1, name: 'x'.repeat(itemBytes) }));
  const hasMore = offset + count < total;
  return { items, limit: count, offset, total_count: total, has_more: hasMore, next_offset: hasMore ? offset + count : null };
}

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

describe(fitToBudget, () => {
  it('returns a page within the budget untouched', () => {
    const small = page(10, 20);
    expect(fitToBudget(small, 10_000).output).toBe(small);
  });

  it('cuts a page over the budget, says where to continue, and stays within it', () => {
    const big = page(1000, 300, 2000);
    const { output: fitted, bytes } = fitToBudget(big, 65_536);
    expect(bytes).toBe(size(fitted));
    expect(size(fitted)).toBeLessThanOrEqual(65_536);
    expect(fitted.items.length).toBeGreaterThan(150);
    expect(fitted.items.length).toBeLessThan(1000);
    expect(fitted).toMatchObject({ has_more: true, next_offset: 2000 + fitted.items.length, offset: 2000, limit: 1000, total_count: big.total_count });
    expect(fitted.items).toEqual(big.items.slice(0, fitted.items.length));
  });

  it('keeps as many items as fit: one more would not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 2048, max: 40_000 }), (count, itemBytes, budget) => {
        const original = page(count, itemBytes);
        const { output: fitted } = fitToBudget(original, budget);
        if (fitted === original) {
          expect(size(original) <= budget || count === 1).toBe(true);
          return;
        }
        expect(size(fitted)).toBeLessThanOrEqual(budget);
        const oneMore = { ...fitted, items: original.items.slice(0, fitted.items.length + 1) };
        expect(size(oneMore)).toBeGreaterThan(budget - 20);
      }),
      { numRuns: 200 },
    );
  });

  it('always keeps one item, so paging advances even past a huge item', () => {
    const huge = page(3, 5000);
    const { output: fitted } = fitToBudget(huge, 4096);
    expect(fitted.items).toHaveLength(1);
    expect(fitted.next_offset).toBe(1);
  });

  it('leaves answers that are not pages alone', () => {
    const roster = { squad_id: 1, members: Array.from({ length: 100 }, () => ({ callsign: 'y'.repeat(100) })) };
    expect(fitToBudget(roster, 4096)).toEqual({ output: roster, json: JSON.stringify(roster), bytes: size(roster) });
  });
});

import fc from 'fast-check';

import { type Fitted, fitToBudget, type TooLarge } from './result-budget';

function page(count: number, itemBytes: number, offset = 0, total = offset + count + 50) {
  const items = Array.from({ length: count }, (_, index) => ({ id: offset + index + 1, name: 'x'.repeat(itemBytes) }));
  const hasMore = offset + count < total;
  return { items, limit: count, offset, total_count: total, has_more: hasMore, next_offset: hasMore ? offset + count : null };
}

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

function fits<T>(fit: Fitted<T> | TooLarge): Fitted<T> {
  if (!fit.fits) {
    throw new Error(`expected the answer to fit, it takes ${fit.bytes} bytes`);
  }
  return fit;
}

describe(fitToBudget, () => {
  it('returns a page within the budget untouched', () => {
    const small = page(10, 20);
    expect(fits(fitToBudget(small, 10_000)).output).toBe(small);
  });

  it('cuts a page over the budget, says where to continue, and stays within it', () => {
    const big = page(1000, 300, 2000);
    const { output: fitted, bytes } = fits(fitToBudget(big, 65_536));
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
        const { output: fitted } = fits(fitToBudget(original, budget));
        if (fitted === original) {
          expect(size(original)).toBeLessThanOrEqual(budget);
          return;
        }
        expect(size(fitted)).toBeLessThanOrEqual(budget);
        const oneMore = { ...fitted, items: original.items.slice(0, fitted.items.length + 1) };
        expect(size(oneMore)).toBeGreaterThan(budget - 20);
      }),
      { numRuns: 200 },
    );
  });

  it('does not fit a page whose first item alone is over the budget', () => {
    const huge = page(3, 5000);
    expect(fitToBudget(huge, 4096)).toEqual({ fits: false, bytes: size(huge) });
  });

  it('returns an answer that is not a page whole within the budget, and does not fit it over', () => {
    const roster = { squad_id: 1, members: Array.from({ length: 100 }, () => ({ callsign: 'y'.repeat(100) })) };
    expect(fitToBudget(roster, 65_536)).toEqual({ fits: true, output: roster, json: JSON.stringify(roster), bytes: size(roster) });
    expect(fitToBudget(roster, 4096)).toEqual({ fits: false, bytes: size(roster) });
  });

  describe('a part of a text', () => {
    const part = (text: string, offset = 0) => ({ document_id: 1, title: 'Rules', text, offset, next_offset: null as number | null, total_chars: offset + text.length });

    it('keeps as many characters as fit, escapes included, and says where the next part starts', () => {
      const text = 'a"\\b\n'.repeat(2000);
      const { output: fitted, bytes } = fits(fitToBudget(part(text, 7), 4096));
      expect(bytes).toBeLessThanOrEqual(4096);
      expect(text.startsWith(fitted.text)).toBe(true);
      expect(fitted.next_offset).toBe(7 + fitted.text.length);
      expect(size({ ...fitted, text: text.slice(0, fitted.text.length + 1) })).toBeGreaterThan(4096);
    });

    it('never cuts a character in two', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 300, max: 3000 }), (repeat, budget) => {
          const text = 'x🎯é'.repeat(repeat);
          const fit = fitToBudget(part(text), budget);
          if (fit.fits) {
            expect(fit.bytes).toBeLessThanOrEqual(budget);
            expect(fit.output.text).toBe(text.slice(0, fit.output.text.length));
            expect(fit.output.text).not.toMatch(/[\uD800-\uDBFF]$/);
          }
        }),
        { numRuns: 200 },
      );
    });

    it('does not fit when not one character does', () => {
      const tight = part('x'.repeat(10));
      expect(fitToBudget(tight, size({ ...tight, text: '', next_offset: 0 })).fits).toBe(false);
    });
  });
});

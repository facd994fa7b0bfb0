import fc from 'fast-check';

import { MAX_JSON_DEPTH, nestsDeeperThan } from './request-edge';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function nested(depth: number): string {
  const opening = Array.from({ length: depth }, (_, level) => (level % 2 === 0 ? '{"a":' : '[')).join('');
  const closing = Array.from({ length: depth }, (_, level) => (level % 2 === 0 ? '}' : ']')).reverse().join('');
  return `${opening}1${closing}`;
}

describe(nestsDeeperThan, () => {
  it.each([0, 1, 5, MAX_JSON_DEPTH])('lets a body nested %i levels through', (depth) => {
    expect(nestsDeeperThan(bytes(nested(depth)), MAX_JSON_DEPTH)).toBe(false);
  });

  it.each([MAX_JSON_DEPTH + 1, 2_000, 50_000])('catches a body nested %i levels', (depth) => {
    expect(nestsDeeperThan(bytes(nested(depth)), MAX_JSON_DEPTH)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ query: '[['.repeat(100) + '\\"{{{' + '"'.repeat(3) });
    expect(nestsDeeperThan(bytes(text), 2)).toBe(false);
  });

  it('agrees with the depth of any JSON value', () => {
    const depthOf = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        expect(nestsDeeperThan(bytes(JSON.stringify(value)), limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 300 },
    );
  });
});

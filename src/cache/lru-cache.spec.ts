import { LruCache } from './lru-cache';

describe(LruCache, () => {
  it('returns a value until its expiry and never after', () => {
    const cache = new LruCache({ maxEntries: 10, maxSize: 1000 });
    cache.set('a', 'one', 100);
    expect(cache.get('a', 99)).toEqual({ value: 'one', expiresAt: 100 });
    expect(cache.get('a', 100)).toBeUndefined();
    expect(cache.count).toBe(0);
  });

  it('evicts the least recently used entry beyond its entry bound', () => {
    const cache = new LruCache({ maxEntries: 2, maxSize: 1000 });
    cache.set('a', '1', 100);
    cache.set('b', '2', 100);
    cache.get('a', 0);
    cache.set('c', '3', 100);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)?.value).toBe('1');
    expect(cache.get('c', 0)?.value).toBe('3');
  });

  it('evicts the oldest entries beyond its size bound and skips values larger than the whole cache', () => {
    const cache = new LruCache({ maxEntries: 100, maxSize: 10 });
    cache.set('a', '1234', 100);
    cache.set('b', '1234', 100);
    expect(cache.totalSize).toBe(10);
    cache.set('c', '12', 100);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.totalSize).toBe(8);
    cache.set('d', '12345678901', 100);
    expect(cache.get('d', 0)).toBeUndefined();
    expect(cache.count).toBe(2);
  });

  it('replaces a value under the same key without counting it twice', () => {
    const cache = new LruCache({ maxEntries: 10, maxSize: 100 });
    cache.set('a', '123', 100);
    cache.set('a', '12', 200);
    expect(cache.totalSize).toBe(3);
    expect(cache.get('a', 150)).toEqual({ value: '12', expiresAt: 200 });
    cache.clear();
    expect(cache.count).toBe(0);
    expect(cache.totalSize).toBe(0);
  });
});

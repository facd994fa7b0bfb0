interface Entry {
  readonly value: string;
  readonly expiresAt: number;
  readonly size: number;
}

export interface LruBounds {
  /** The most entries held at once. */
  readonly maxEntries: number;
  /** The most characters (keys and values together) held at once. */
  readonly maxSize: number;
}

/**
 * Strings that expire, bounded by count and by total length: the least recently used go first
 * when either bound is reached. An expired entry is never returned; it is dropped when met.
 */
export class LruCache {
  // A Map iterates in insertion order, so re-inserting on every read keeps the oldest use first.
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly bounds: LruBounds) {}

  get count(): number {
    return this.entries.size;
  }

  get totalSize(): number {
    return this.size;
  }

  /** The value and its expiry, or undefined when absent or no longer fresh at `now`. */
  get(key: string, now: number): { value: string; expiresAt: number } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    this.remove(key, entry);
    if (entry.expiresAt <= now) {
      return undefined;
    }
    this.entries.set(key, entry);
    this.size += entry.size;
    return { value: entry.value, expiresAt: entry.expiresAt };
  }

  /** Holds `value` until `expiresAt`; a value larger than the whole cache is not held at all. */
  set(key: string, value: string, expiresAt: number): void {
    const size = key.length + value.length;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.remove(key, previous);
    }
    if (size > this.bounds.maxSize) {
      return;
    }
    this.entries.set(key, { value, expiresAt, size });
    this.size += size;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.bounds.maxEntries && this.size <= this.bounds.maxSize) {
        break;
      }
      this.remove(oldest, entry);
    }
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.size -= entry.size;
  }
}

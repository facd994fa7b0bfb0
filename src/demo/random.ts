/**
 * Seeded randomness for the demo world.
 *
 * Every entity draws from its own stream, seeded from (world seed, stream id, entity index), so any
 * row can be regenerated on its own: the generator never needs earlier rows in memory, and changing
 * how one table is generated leaves the others untouched.
 */
export const Stream = {
  Field: 1,
  Squad: 2,
  SquadSize: 3,
  Slot: 4,
  FreeAgent: 5,
  Player: 6,
  Skill: 7,
  Event: 8,
  EventRsvps: 9,
  EventMatches: 10,
  Match: 11,
  MatchPlay: 12,
} as const;
export type Stream = (typeof Stream)[keyof typeof Stream];

function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function streamSeed(seed: number, stream: Stream, index: number): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(stream, 0x27d4eb2d));
  return fmix32(h ^ Math.imul(index + 1, 0x165667b1));
}

export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new RangeError(`index ${index} outside 0..${items.length - 1}`);
  }
  return item;
}

/** mulberry32: tiny, fast, and good enough for believable demo data. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static for(seed: number, stream: Stream, index: number): Random {
    return new Random(streamSeed(seed, stream, index));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return itemAt(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) {
        return value;
      }
    }
    return itemAt(choices, choices.length - 1)[0];
  }

  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const take = Math.min(count, pool.length);
    for (let i = 0; i < take; i++) {
      const j = this.int(i, pool.length - 1);
      const swap = itemAt(pool, j);
      pool[j] = itemAt(pool, i);
      pool[i] = swap;
    }
    return pool.slice(0, take);
  }
}

/** A bijection on [0, size): spreads consecutive indexes over the whole range. */
export class Permutation {
  private readonly multiplier: number;
  private readonly inverse: number;

  constructor(
    private readonly size: number,
    private readonly offset: number,
  ) {
    this.multiplier = coprimeMultiplier(size);
    this.inverse = modularInverse(this.multiplier, size);
  }

  apply(index: number): number {
    return (index * this.multiplier + this.offset) % this.size;
  }

  invert(value: number): number {
    const shifted = (((value - this.offset) % this.size) + this.size) % this.size;
    return (shifted * this.inverse) % this.size;
  }
}

const MULTIPLIER_CANDIDATES = [7919, 7927, 7933, 7937, 7949, 7951, 7963, 7993, 8009, 8011];

function coprimeMultiplier(size: number): number {
  for (const candidate of MULTIPLIER_CANDIDATES) {
    const reduced = candidate % size;
    if (reduced > 1 && gcd(reduced, size) === 1) {
      return reduced;
    }
  }
  return 1;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function modularInverse(value: number, modulus: number): number {
  if (modulus === 1) {
    return 0;
  }
  let [oldR, r] = [value, modulus];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const quotient = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}

import { itemAt, Permutation, Random, Stream } from './random';
import {
  FIELD_PREFIXES,
  FIELD_SUFFIXES,
  REGIONS,
  SQUAD_ADJECTIVES,
  SQUAD_DESCRIPTIONS,
  SQUAD_NOUNS,
} from './world-names';
import type { FieldKind, FieldRow } from './world-rows';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoDate(ms: number): string {
  return iso(ms).slice(0, 10);
}

/** A minute-aligned instant in [fromMs, toMs]. */
export function randomTime(rng: Random, fromMs: number, toMs: number): number {
  const start = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS;
  const steps = Math.max(0, Math.floor((toMs - start) / MINUTE_MS));
  return start + rng.int(0, steps) * MINUTE_MS;
}

export const MAX_SCALE = 1000;

export interface WorldConfig {
  readonly seed: number;
  readonly scale: number;
  readonly nowMs: number;
  /** Accounts and squads are no older than the (fictional) launch of the app. */
  readonly appLaunchMs: number;
  readonly fieldCount: number;
  readonly squadCount: number;
  readonly playerCount: number;
  readonly eventCount: number;
  readonly matchCount: number;
}

export function worldConfig(seed: number, scale: number, now: Date): WorldConfig {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be an integer from 1 to ${MAX_SCALE}, got ${scale}`);
  }
  const nowMs = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  if (Number.isNaN(nowMs)) {
    throw new RangeError('now must be a valid date');
  }
  return {
    seed,
    scale,
    nowMs,
    appLaunchMs: nowMs - 4 * 365 * DAY_MS,
    fieldCount: 30 * scale,
    squadCount: 40 * scale,
    playerCount: 600 * scale,
    eventCount: 300 * scale,
    matchCount: 800 * scale,
  };
}

export interface SquadInfo {
  readonly index: number;
  readonly region: number;
  readonly homeField: number;
  readonly createdMs: number;
  readonly foundedMs: number;
  readonly name: string;
  readonly tag: string;
  readonly isRecruiting: boolean;
  readonly description: string | null;
  readonly recruits: number;
}

const FIELD_KIND_WEIGHTS: readonly (readonly [FieldKind, number])[] = [
  ['woodsball', 4],
  ['speedball', 3],
  ['scenario', 1],
  ['mixed', 3],
];

/** Fields and squads: the small, fixed skeleton every other table hangs from. */
export class WorldSkeleton {
  readonly regionFields: number[][] = REGIONS.map(() => []);
  readonly regionSquads: number[][] = REGIONS.map(() => []);
  private readonly squads: SquadInfo[] = [];
  private readonly regionPosition: Int32Array;
  private readonly squadNames = new Permutation(SQUAD_ADJECTIVES.length * SQUAD_NOUNS.length, 11);

  constructor(readonly config: WorldConfig) {
    for (let field = 0; field < config.fieldCount; field++) {
      itemAt(this.regionFields, field % REGIONS.length).push(field);
    }
    this.regionPosition = new Int32Array(config.squadCount);
    for (let squad = 0; squad < config.squadCount; squad++) {
      const info = this.buildSquad(squad);
      this.squads.push(info);
      const members = itemAt(this.regionSquads, info.region);
      this.regionPosition[squad] = members.length;
      members.push(squad);
    }
  }

  field(index: number): FieldRow {
    const rng = Random.for(this.config.seed, Stream.Field, index);
    const region = itemAt(REGIONS, index % REGIONS.length);
    const city = rng.pick(region.cities);
    const jitter = (): number => Math.round((rng.next() - 0.5) * 60_000) / 100_000;
    return {
      id: index + 1,
      name: `${rng.pick(FIELD_PREFIXES)} ${rng.pick(FIELD_SUFFIXES)}`,
      city: city.name,
      region: region.name,
      latitude: Math.round((city.latitude + jitter()) * 100_000) / 100_000,
      longitude: Math.round((city.longitude + jitter()) * 100_000) / 100_000,
      kind: rng.weighted(FIELD_KIND_WEIGHTS),
    };
  }

  squad(index: number): SquadInfo {
    return itemAt(this.squads, index);
  }

  regionName(region: number): string {
    return itemAt(REGIONS, region).name;
  }

  /** The UTC instant of a local wall-clock time in the region on the UTC day starting at dayMs. */
  localTime(region: number, dayMs: number, localMinutes: number): number {
    return dayMs + localMinutes * MINUTE_MS - itemAt(REGIONS, region).utcOffsetHours * HOUR_MS;
  }

  /** The squad a transferring member of `squad` came from: its neighbour in the same region. */
  formerSquadOf(squad: number): number | null {
    return this.regionNeighbour(squad, 1);
  }

  /** The squad whose transferring members came from `squad`. */
  transferTargetOf(squad: number): number | null {
    return this.regionNeighbour(squad, -1);
  }

  randomFieldIn(rng: Random, region: number): number {
    return rng.pick(itemAt(this.regionFields, region));
  }

  private regionNeighbour(squad: number, step: number): number | null {
    const peers = itemAt(this.regionSquads, this.squad(squad).region);
    if (peers.length < 2) {
      return null;
    }
    const position = this.regionPosition[squad] ?? 0;
    return itemAt(peers, (position + step + peers.length) % peers.length);
  }

  private buildSquad(index: number): SquadInfo {
    const { seed, nowMs, appLaunchMs } = this.config;
    const rng = Random.for(seed, Stream.Squad, index);
    // The first squads cover every region twice so each region has rivals even in the small world.
    const drawnRegion = rng.int(0, REGIONS.length - 1);
    const region = index < 2 * REGIONS.length ? index % REGIONS.length : drawnRegion;
    const nameCount = SQUAD_ADJECTIVES.length * SQUAD_NOUNS.length;
    const nameIndex = this.squadNames.apply(index % nameCount);
    const edition = Math.floor(index / nameCount);
    const words = [
      itemAt(SQUAD_ADJECTIVES, nameIndex % SQUAD_ADJECTIVES.length),
      itemAt(SQUAD_NOUNS, Math.floor(nameIndex / SQUAD_ADJECTIVES.length)),
    ].join(' ');
    const suffix = edition > 0 ? String(edition + 1) : '';
    const initials = words
      .split(' ')
      .map((word) => word.charAt(0))
      .join('');
    const createdMs = randomTime(rng, appLaunchMs, nowMs - 200 * DAY_MS);
    return {
      index,
      region,
      homeField: this.randomFieldIn(rng, region),
      createdMs,
      foundedMs: createdMs - rng.int(0, 8 * 365) * DAY_MS,
      name: suffix ? `${words} ${suffix}` : words,
      tag: `${initials}${suffix}`,
      isRecruiting: rng.chance(0.4),
      description: rng.chance(0.8) ? rng.pick(SQUAD_DESCRIPTIONS) : null,
      recruits: rng.int(0, 2),
    };
  }
}

import { WorldEvents } from './world-events';
import { DAY_MS, HOUR_MS, iso, isoDate, type WorldConfig, worldConfig, WorldSkeleton } from './world-layout';
import { WorldMatches } from './world-matches';
import { WorldPeople } from './world-people';
import type {
  EventWithRsvps,
  FieldRow,
  MatchWithStats,
  PlayerRow,
  SquadMemberRow,
  SquadRow,
} from './world-rows';

export const DEFAULT_WORLD_SEED = 0x5eed_2024;

export interface WorldOptions {
  /** Multiplies every count; 1 is the small demo world, 500 the performance one. */
  scale?: number;
  /** The instant the world is built around; defaults to today at 12:00 UTC. */
  now?: Date;
  seed?: number;
}

/** Today at 12:00 UTC: stable for a whole day, so restarts on the same day rebuild the same world. */
export function defaultAnchor(at: Date = new Date()): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + 12 * HOUR_MS);
}

/**
 * The demo world of SPEC §3: a deterministic function of (seed, scale, now). Each table is a lazy
 * stream, so even the largest scale never holds more than one squad's or match's rows at a time;
 * iterate the streams in the order below to satisfy foreign keys.
 */
export class DemoWorld {
  readonly config: WorldConfig;
  private readonly skeleton: WorldSkeleton;
  private readonly people: WorldPeople;
  private readonly events: WorldEvents;
  private readonly matchMaker: WorldMatches;

  constructor(options: WorldOptions = {}) {
    this.config = worldConfig(options.seed ?? DEFAULT_WORLD_SEED, options.scale ?? 1, options.now ?? defaultAnchor());
    this.skeleton = new WorldSkeleton(this.config);
    this.people = new WorldPeople(this.skeleton);
    this.events = new WorldEvents(this.skeleton, this.people);
    this.matchMaker = new WorldMatches(this.skeleton, this.people);
  }

  get now(): Date {
    return new Date(this.config.nowMs);
  }

  *fields(): Generator<FieldRow> {
    for (let field = 0; field < this.config.fieldCount; field++) {
      yield this.skeleton.field(field);
    }
  }

  *players(): Generator<PlayerRow> {
    for (let player = 0; player < this.config.playerCount; player++) {
      yield this.people.player(player);
    }
  }

  *squads(): Generator<SquadRow> {
    for (let squad = 0; squad < this.config.squadCount; squad++) {
      const info = this.skeleton.squad(squad);
      yield {
        id: squad + 1,
        name: info.name,
        tag: info.tag,
        region: this.skeleton.regionName(info.region),
        home_field_id: info.homeField + 1,
        captain_player_id: this.people.captainOf(squad) + 1,
        founded_on: isoDate(info.foundedMs),
        is_recruiting: info.isRecruiting,
        description: info.description,
        created_at: iso(info.createdMs),
      };
    }
  }

  *squadMembers(): Generator<SquadMemberRow> {
    for (let squad = 0; squad < this.config.squadCount; squad++) {
      yield* this.people.memberRows(squad);
    }
  }

  *eventsWithRsvps(): Generator<EventWithRsvps> {
    for (let event = 0; event < this.config.eventCount; event++) {
      yield this.events.withRsvps(this.events.plan(event));
    }
  }

  /** Matches played at events come first, then league matches up to the target count. */
  *matchesWithStats(): Generator<MatchWithStats> {
    let id = 0;
    for (let event = 0; event < this.config.eventCount; event++) {
      for (const plan of this.matchMaker.eventMatches(this.events.plan(event))) {
        yield this.matchMaker.play(++id, plan);
      }
    }
    for (let match = 0; id < this.config.matchCount; match++) {
      yield this.matchMaker.play(++id, this.matchMaker.standalone(match));
    }
  }
}

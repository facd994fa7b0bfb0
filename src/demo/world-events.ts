import { itemAt, Random, Stream } from './random';
import { DAY_MS, HOUR_MS, iso, randomTime, type WorldSkeleton } from './world-layout';
import { EVENT_NOTES, SCENARIO_CODENAMES, TOURNAMENT_SERIES } from './world-names';
import type { WorldPeople } from './world-people';
import type { EventKind, EventRsvpRow, EventStatus, EventWithRsvps, RsvpStatus } from './world-rows';

export interface EventPlan {
  readonly index: number;
  readonly kind: EventKind;
  readonly organizer: number | null;
  readonly region: number;
  readonly field: number;
  readonly startsMs: number;
  readonly endsMs: number;
  readonly status: EventStatus;
  /** Squads that play matches at the event (scrimmages and tournaments). */
  readonly squads: readonly number[];
}

const KIND_WEIGHTS: readonly (readonly [EventKind, number])[] = [
  ['practice', 30],
  ['scrimmage', 20],
  ['tournament', 10],
  ['open_play', 25],
  ['scenario_game', 15],
];

const DURATION_HOURS: Record<EventKind, readonly [number, number]> = {
  practice: [2, 4],
  scrimmage: [3, 5],
  tournament: [6, 9],
  open_play: [4, 7],
  scenario_game: [8, 10],
};

const CAPACITY: Record<EventKind, readonly [number, number]> = {
  practice: [20, 40],
  scrimmage: [30, 50],
  tournament: [80, 200],
  open_play: [60, 150],
  scenario_game: [150, 400],
};

const ORGANIZED_SHARE: Record<EventKind, number> = {
  practice: 1,
  scrimmage: 1,
  tournament: 0.7,
  open_play: 0.2,
  scenario_game: 0.4,
};

const RSVP_WEIGHTS: readonly (readonly [RsvpStatus, number])[] = [
  ['going', 65],
  ['maybe', 20],
  ['declined', 15],
];

const SEASONS = ['Winter', 'Winter', 'Spring', 'Spring', 'Spring', 'Summer', 'Summer', 'Summer', 'Fall', 'Fall', 'Fall', 'Winter'];

/** Whole days before (-120..-1) or after (1..futureDays) the anchor day, never the anchor day itself. */
export function dayOffset(rng: Random, futureDays: number): number {
  const day = rng.int(0, 120 + futureDays - 1);
  return day < 120 ? day - 120 : day - 119;
}

export function anchorDayMs(nowMs: number): number {
  return Math.floor(nowMs / DAY_MS) * DAY_MS;
}

export class WorldEvents {
  constructor(
    private readonly skeleton: WorldSkeleton,
    private readonly people: WorldPeople,
  ) {}

  plan(index: number): EventPlan {
    const { seed, nowMs, squadCount } = this.skeleton.config;
    const rng = Random.for(seed, Stream.Event, index);
    const kind = rng.weighted(KIND_WEIGHTS);
    const day = anchorDayMs(nowMs) + dayOffset(rng, 90) * DAY_MS;
    const localStart = rng.int(8, 14) * 60 + (rng.chance(0.5) ? 30 : 0);
    const [minHours, maxHours] = DURATION_HOURS[kind];
    const organizer = rng.chance(ORGANIZED_SHARE[kind]) ? rng.int(0, squadCount - 1) : null;
    const region =
      organizer === null
        ? rng.int(0, this.skeleton.regionSquads.length - 1)
        : this.skeleton.squad(organizer).region;
    const startsMs = this.skeleton.localTime(region, day, localStart);
    const atHome = organizer !== null && kind === 'practice' && rng.chance(0.8);
    const field = atHome ? this.skeleton.squad(organizer).homeField : this.skeleton.randomFieldIn(rng, region);
    const past = startsMs < nowMs;
    const cancelled = rng.chance(past ? 0.08 : 0.05);
    return {
      index,
      kind,
      organizer,
      region,
      field,
      startsMs,
      endsMs: startsMs + rng.int(minHours, maxHours) * HOUR_MS,
      status: cancelled ? 'cancelled' : past ? 'completed' : 'scheduled',
      squads: this.playingSquads(rng, kind, organizer, region),
    };
  }

  withRsvps(plan: EventPlan): EventWithRsvps {
    const { seed } = this.skeleton.config;
    const rng = Random.for(seed, Stream.EventRsvps, plan.index);
    const rsvps = this.rsvps(rng, plan);
    const going = rsvps.filter((rsvp) => rsvp.status === 'going').length;
    const [minCapacity, maxCapacity] = CAPACITY[plan.kind];
    const capacity = Math.max(going, Math.round(rng.int(minCapacity, maxCapacity) / 5) * 5);
    return {
      event: {
        id: plan.index + 1,
        title: this.title(rng, plan),
        kind: plan.kind,
        organizer_squad_id: plan.organizer === null ? null : plan.organizer + 1,
        field_id: plan.field + 1,
        starts_at: iso(plan.startsMs),
        ends_at: iso(plan.endsMs),
        capacity,
        status: plan.status,
        notes: rng.chance(0.5) ? rng.pick(EVENT_NOTES) : null,
      },
      rsvps,
    };
  }

  private playingSquads(rng: Random, kind: EventKind, organizer: number | null, region: number): number[] {
    if (kind !== 'scrimmage' && kind !== 'tournament') {
      return [];
    }
    const rivals = itemAt(this.skeleton.regionSquads, region).filter((squad) => squad !== organizer);
    const wanted = kind === 'scrimmage' ? 1 : rng.int(4, 6) - (organizer === null ? 0 : 1);
    const picked = rng.sample(rivals, wanted);
    return organizer === null ? picked : [organizer, ...picked];
  }

  private rsvps(rng: Random, plan: EventPlan): EventRsvpRow[] {
    const { nowMs } = this.skeleton.config;
    const chosen = new Map<number, number>();
    const consider = (player: number, joinedMs: number): void => {
      if (!chosen.has(player)) {
        chosen.set(player, joinedMs);
      }
    };
    if (plan.kind === 'practice' && plan.organizer !== null) {
      for (const member of this.people.rosterAt(plan.organizer, plan.startsMs)) {
        if (rng.chance(0.85)) {
          consider(member.player, member.joinedMs);
        }
      }
    } else if (plan.squads.length > 0) {
      for (const squad of plan.squads) {
        for (const member of this.people.rosterAt(squad, plan.startsMs)) {
          if (rng.chance(0.7)) {
            consider(member.player, member.joinedMs);
          }
        }
      }
    } else {
      const squads = itemAt(this.skeleton.regionSquads, plan.region);
      for (let attempt = rng.int(8, 30); attempt > 0; attempt--) {
        const roster = this.people.rosterAt(rng.pick(squads), plan.startsMs);
        if (roster.length > 0) {
          const member = rng.pick(roster);
          consider(member.player, member.joinedMs);
        }
      }
    }
    const latest = Math.min(plan.startsMs, nowMs);
    return [...chosen].map(([player, joinedMs]) => ({
      event_id: plan.index + 1,
      player_id: player + 1,
      status: rng.weighted(RSVP_WEIGHTS),
      responded_at: iso(randomTime(rng, Math.max(joinedMs, latest - 21 * DAY_MS), latest)),
    }));
  }

  private title(rng: Random, plan: EventPlan): string {
    const squadName = (squad: number | undefined): string =>
      squad === undefined ? 'Open' : this.skeleton.squad(squad).name;
    switch (plan.kind) {
      case 'practice':
        return `${squadName(plan.organizer ?? undefined)} practice`;
      case 'scrimmage':
        return `${squadName(plan.squads[0])} vs ${squadName(plan.squads[1])} scrimmage`;
      case 'tournament': {
        const season = itemAt(SEASONS, new Date(plan.startsMs).getUTCMonth());
        return `${this.skeleton.regionName(plan.region)} ${season} ${rng.pick(TOURNAMENT_SERIES)}`;
      }
      case 'open_play':
        return `Open play at ${this.skeleton.field(plan.field).name}`;
      case 'scenario_game':
        return `Operation ${rng.pick(SCENARIO_CODENAMES)}`;
    }
  }
}

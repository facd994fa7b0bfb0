import { itemAt, Random, Stream } from './random';
import { anchorDayMs, dayOffset, type EventPlan } from './world-events';
import { DAY_MS, iso, MINUTE_MS, type WorldSkeleton } from './world-layout';
import type { WorldPeople } from './world-people';
import type { MatchPlayerStatRow, MatchWithStats } from './world-rows';

interface Format {
  readonly name: string;
  /** Points needed to win; null for timed games, which can end in a draw. */
  readonly raceTo: number | null;
}

const FORMATS: readonly (readonly [Format, number])[] = [
  [{ name: '5-man race to 2', raceTo: 2 }, 4],
  [{ name: '7-man race to 3', raceTo: 3 }, 2],
  [{ name: 'xball race to 4', raceTo: 4 }, 2],
  [{ name: '10-man timed', raceTo: null }, 2],
];

export interface MatchPlan {
  readonly event: number | null;
  readonly field: number;
  readonly playedMs: number;
  readonly format: Format;
  readonly home: number;
  readonly away: number;
  readonly forfeit: boolean;
}

interface Line {
  readonly player: number;
  readonly skill: number;
  eliminations: number;
  timesEliminated: number;
  flagCaptures: number;
}

export class WorldMatches {
  constructor(
    private readonly skeleton: WorldSkeleton,
    private readonly people: WorldPeople,
  ) {}

  /** The matches played at a scrimmage or tournament; none for other or cancelled events. */
  eventMatches(event: EventPlan): MatchPlan[] {
    if (event.status === 'cancelled' || event.squads.length < 2) {
      return [];
    }
    const rng = Random.for(this.skeleton.config.seed, Stream.EventMatches, event.index);
    const pairs: [number, number][] = [];
    if (event.kind === 'scrimmage') {
      const [organizer = 0, opponent = 0] = event.squads;
      for (let game = rng.int(1, 3); game > 0; game--) {
        pairs.push(game % 2 === 0 ? [opponent, organizer] : [organizer, opponent]);
      }
    } else {
      const all: [number, number][] = [];
      event.squads.forEach((home, i) => {
        for (const away of event.squads.slice(i + 1)) {
          all.push([home, away]);
        }
      });
      pairs.push(...rng.sample(all, rng.int(4, 8)));
    }
    const format = rng.weighted(FORMATS);
    return pairs.map(([home, away], slot) => ({
      event: event.index,
      field: event.field,
      playedMs: event.startsMs + slot * 40 * MINUTE_MS,
      format,
      home,
      away,
      forfeit: rng.chance(0.04),
    }));
  }

  /** A league match outside any event, from 120 days ago to 45 days ahead. */
  standalone(index: number): MatchPlan {
    const { seed, nowMs, squadCount } = this.skeleton.config;
    const rng = Random.for(seed, Stream.Match, index);
    const day = anchorDayMs(nowMs) + dayOffset(rng, 45) * DAY_MS;
    const localTime = rng.int(9, 17) * 60 + rng.int(0, 3) * 15;
    const home = rng.int(0, squadCount - 1);
    const info = this.skeleton.squad(home);
    const playedMs = this.skeleton.localTime(info.region, day, localTime);
    const rivals = itemAt(this.skeleton.regionSquads, info.region).filter((squad) => squad !== home);
    const away = rivals.length > 0 ? rng.pick(rivals) : (home + 1 + rng.int(0, squadCount - 2)) % squadCount;
    return {
      event: null,
      field: rng.chance(0.7) ? info.homeField : this.skeleton.randomFieldIn(rng, info.region),
      playedMs,
      format: rng.weighted(FORMATS),
      home,
      away,
      forfeit: rng.chance(0.04),
    };
  }

  /** Plays a match: future ones stay scheduled, forfeits get a score but no stat lines. */
  play(id: number, plan: MatchPlan): MatchWithStats {
    const rng = Random.for(this.skeleton.config.seed, Stream.MatchPlay, id);
    const base = {
      id,
      event_id: plan.event === null ? null : plan.event + 1,
      field_id: plan.field + 1,
      played_at: iso(plan.playedMs),
      format: plan.format.name,
      home_squad_id: plan.home + 1,
      away_squad_id: plan.away + 1,
    };
    if (plan.playedMs >= this.skeleton.config.nowMs) {
      return { match: { ...base, home_score: null, away_score: null, status: 'scheduled' }, stats: [] };
    }
    const home = this.lineUp(rng, plan.home, plan.playedMs);
    const away = this.lineUp(rng, plan.away, plan.playedMs);
    const homeChance = 1 / (1 + 10 ** ((strength(away) - strength(home)) / 800));
    if (plan.forfeit || home.length === 0 || away.length === 0) {
      const points = plan.format.raceTo ?? 1;
      const homeWins = away.length === 0 || (home.length > 0 && rng.chance(homeChance));
      const score = { home_score: homeWins ? points : 0, away_score: homeWins ? 0 : points };
      return { match: { ...base, ...score, status: 'forfeit' }, stats: [] };
    }
    const [homeScore, awayScore] = score(rng, plan.format, homeChance);
    const winners: ('home' | 'away' | null)[] = [
      ...Array<'home'>(homeScore).fill('home'),
      ...Array<'away'>(awayScore).fill('away'),
    ];
    if (winners.length === 0) {
      winners.push(null);
    }
    for (const winner of winners) {
      playPoint(rng, winner === 'away' ? away : home, winner === 'away' ? home : away, winner !== null);
    }
    const toRow = (squad: number) => (line: Line): MatchPlayerStatRow => ({
      match_id: id,
      player_id: line.player + 1,
      squad_id: squad + 1,
      eliminations: line.eliminations,
      times_eliminated: line.timesEliminated,
      flag_captures: line.flagCaptures,
    });
    return {
      match: { ...base, home_score: homeScore, away_score: awayScore, status: 'final' },
      stats: [...home.map(toRow(plan.home)), ...away.map(toRow(plan.away))],
    };
  }

  private lineUp(rng: Random, squad: number, atMs: number): Line[] {
    const roster = this.people.rosterAt(squad, atMs);
    return rng.sample(roster, rng.int(4, 8)).map((member) => ({
      player: member.player,
      skill: this.people.skillOf(member.player),
      eliminations: 0,
      timesEliminated: 0,
      flagCaptures: 0,
    }));
  }
}

function strength(lines: readonly Line[]): number {
  return lines.length === 0 ? 0 : lines.reduce((sum, line) => sum + line.skill, 0) / lines.length;
}

function score(rng: Random, format: Format, homeChance: number): [number, number] {
  if (format.raceTo === null) {
    const flags = (chance: number): number => [0, 1, 2, 3].filter(() => rng.chance(0.2 + 0.5 * chance)).length;
    return [flags(homeChance), flags(1 - homeChance)];
  }
  const loserPoints = rng.int(0, format.raceTo - 1);
  return rng.chance(homeChance) ? [format.raceTo, loserPoints] : [loserPoints, format.raceTo];
}

/**
 * One point: most of the losing side is shot out, the winners lose fewer, and a survivor of the
 * winning side hangs the flag. Shots are credited to the better of two random opponents, so
 * skilled players top the leaderboards without always winning.
 */
function playPoint(rng: Random, winners: Line[], losers: Line[], flagHung: boolean): void {
  const losersOut = rng.sample(losers, rng.int(Math.ceil(losers.length * 0.6), losers.length));
  const winnersOut = rng.sample(winners, rng.int(flagHung ? 0 : 1, winners.length - 1));
  for (const [victims, shooters] of [
    [losersOut, winners],
    [winnersOut, losers],
  ] as const) {
    for (const victim of victims) {
      victim.timesEliminated++;
      const first = rng.pick(shooters);
      const second = rng.pick(shooters);
      (first.skill >= second.skill ? first : second).eliminations++;
    }
  }
  if (flagHung) {
    const survivors = winners.filter((line) => !winnersOut.includes(line));
    rng.pick(survivors.length > 0 ? survivors : winners).flagCaptures++;
  }
}

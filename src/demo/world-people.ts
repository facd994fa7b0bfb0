import { itemAt, Permutation, Random, Stream } from './random';
import { DAY_MS, iso, randomTime, type WorldSkeleton } from './world-layout';
import { CALLSIGN_FIRST, CALLSIGN_SECOND, FIRST_NAMES, LAST_NAMES } from './world-names';
import type { MemberRole, PlayerRow, Position, SquadMemberRow } from './world-rows';

export interface Membership {
  readonly squad: number;
  readonly player: number;
  readonly role: MemberRole;
  readonly joinedMs: number;
  readonly leftMs: number | null;
}

interface PlayerHistory {
  readonly region: number;
  readonly current: Membership | null;
  readonly former: Membership | null;
}

interface SlotHistory extends PlayerHistory {
  readonly current: Membership;
}

const POSITION_WEIGHTS: readonly (readonly [Position, number])[] = [
  ['front', 30],
  ['mid', 25],
  ['back', 30],
  ['flex', 15],
];

const ROSTER_CACHE_SIZE = 4096;

/**
 * Players and squad memberships. Squads own consecutive "slots" of current members; a permutation
 * maps slots (then free agents) onto player ids so squad-mates are not numbered consecutively.
 * Former memberships come from transfers between neighbouring squads of a region and from free
 * agents who left a squad, so every squad's roster at a given instant can be rebuilt on demand.
 */
export class WorldPeople {
  readonly currentSlots: number;
  private readonly slotStart: Int32Array;
  private readonly players: Permutation;
  private readonly callsigns = new Permutation(CALLSIGN_FIRST.length * CALLSIGN_SECOND.length, 7);
  private readonly rosters = new Map<number, Membership[]>();

  constructor(private readonly skeleton: WorldSkeleton) {
    const { seed, squadCount, playerCount } = skeleton.config;
    this.slotStart = new Int32Array(squadCount + 1);
    let total = 0;
    for (let squad = 0; squad < squadCount; squad++) {
      this.slotStart[squad] = total;
      total += Random.for(seed, Stream.SquadSize, squad).int(8, 14);
    }
    this.currentSlots = Math.min(total, playerCount);
    this.slotStart[squadCount] = total;
    this.players = new Permutation(playerCount, 101);
  }

  captainOf(squad: number): number {
    return this.players.apply(this.slotStart[squad] ?? 0);
  }

  skillOf(player: number): number {
    const rng = Random.for(this.skeleton.config.seed, Stream.Skill, player);
    return Math.round(((rng.next() + rng.next() + rng.next()) / 3) * 3000);
  }

  player(index: number): PlayerRow {
    const { seed, nowMs, appLaunchMs } = this.skeleton.config;
    const history = this.historyOf(index);
    const rng = Random.for(seed, Stream.Player, index);
    const callsign = this.callsign(index);
    const firstJoined = history.former?.joinedMs ?? history.current?.joinedMs ?? null;
    const createdMs =
      firstJoined === null
        ? randomTime(rng, appLaunchMs, nowMs - DAY_MS)
        : randomTime(rng, Math.max(appLaunchMs, firstJoined - 90 * DAY_MS), firstJoined);
    const squadField =
      history.current && rng.chance(0.7) ? this.skeleton.squad(history.current.squad).homeField : null;
    const homeField = squadField ?? (rng.chance(0.9) ? this.skeleton.randomFieldIn(rng, history.region) : null);
    return {
      id: index + 1,
      callsign,
      display_name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
      email: `${callsign.toLowerCase()}@example.test`,
      region: this.skeleton.regionName(history.region),
      home_field_id: homeField === null ? null : homeField + 1,
      position: rng.weighted(POSITION_WEIGHTS),
      skill_rating: this.skillOf(index),
      created_at: iso(createdMs),
    };
  }

  /** Every membership (current and former) of a squad, as table rows. */
  memberRows(squad: number): SquadMemberRow[] {
    return this.roster(squad).map((membership) => ({
      squad_id: membership.squad + 1,
      player_id: membership.player + 1,
      role: membership.role,
      joined_at: iso(membership.joinedMs),
      left_at: membership.leftMs === null ? null : iso(membership.leftMs),
    }));
  }

  /** Players who belonged to the squad at that instant. */
  rosterAt(squad: number, atMs: number): Membership[] {
    return this.roster(squad).filter((m) => m.joinedMs <= atMs && (m.leftMs === null || m.leftMs > atMs));
  }

  private roster(squad: number): Membership[] {
    const cached = this.rosters.get(squad);
    if (cached) {
      return cached;
    }
    const roster: Membership[] = [];
    for (let slot = this.slotStart[squad] ?? 0; slot < this.slotEnd(squad); slot++) {
      roster.push(this.slot(slot).current);
    }
    for (const freeAgent of [2 * squad, 2 * squad + 1]) {
      const former = this.freeAgent(freeAgent).former;
      if (former?.squad === squad) {
        roster.push(former);
      }
    }
    const target = this.skeleton.transferTargetOf(squad);
    if (target !== null) {
      for (let slot = this.slotStart[target] ?? 0; slot < this.slotEnd(target); slot++) {
        const former = this.slot(slot).former;
        if (former?.squad === squad) {
          roster.push(former);
        }
      }
    }
    if (this.rosters.size >= ROSTER_CACHE_SIZE) {
      this.rosters.clear();
    }
    this.rosters.set(squad, roster);
    return roster;
  }

  private slotEnd(squad: number): number {
    return Math.min(this.slotStart[squad + 1] ?? 0, this.currentSlots);
  }

  private historyOf(player: number): PlayerHistory {
    const position = this.players.invert(player);
    return position < this.currentSlots ? this.slot(position) : this.freeAgent(position - this.currentSlots);
  }

  private slot(slot: number): SlotHistory {
    const { seed, nowMs } = this.skeleton.config;
    const squad = this.squadOfSlot(slot);
    const info = this.skeleton.squad(squad);
    const rank = slot - (this.slotStart[squad] ?? 0);
    const size = this.slotEnd(squad) - (this.slotStart[squad] ?? 0);
    const rng = Random.for(seed, Stream.Slot, slot);
    const player = this.players.apply(slot);
    const veteranJoin = (): number => randomTime(rng, info.createdMs, nowMs - 130 * DAY_MS);
    const formerSquad = this.skeleton.formerSquadOf(squad);
    let role: MemberRole = 'member';
    let joinedMs: number;
    let former: Membership | null = null;
    if (rank === 0) {
      role = 'captain';
      joinedMs = info.createdMs;
    } else if (rank === 1 || (rank === 2 && size >= 11)) {
      role = 'co_captain';
      joinedMs = veteranJoin();
    } else if (rank >= size - info.recruits) {
      role = 'recruit';
      joinedMs = randomTime(rng, nowMs - 60 * DAY_MS, nowMs - 3 * DAY_MS);
    } else if (formerSquad !== null && rng.chance(0.2)) {
      joinedMs = randomTime(rng, nowMs - 100 * DAY_MS, nowMs - 10 * DAY_MS);
      const formerCreated = this.skeleton.squad(formerSquad).createdMs;
      const formerJoined = randomTime(rng, Math.max(formerCreated, joinedMs - 900 * DAY_MS), joinedMs - 60 * DAY_MS);
      const formerLeft = randomTime(rng, formerJoined + 30 * DAY_MS, joinedMs - DAY_MS);
      former = { squad: formerSquad, player, role: 'member', joinedMs: formerJoined, leftMs: formerLeft };
    } else {
      joinedMs = veteranJoin();
    }
    return { region: info.region, current: { squad, player, role, joinedMs, leftMs: null }, former };
  }

  /** Free agents 2s and 2s+1 may have left squad s; the rest never joined one. */
  private freeAgent(freeAgent: number): PlayerHistory {
    const { seed, nowMs, squadCount, playerCount } = this.skeleton.config;
    const rng = Random.for(seed, Stream.FreeAgent, freeAgent);
    const formerSquad = Math.floor(freeAgent / 2);
    const player = this.players.apply(this.currentSlots + freeAgent);
    const exists = this.currentSlots + freeAgent < playerCount;
    if (!exists || formerSquad >= squadCount || !rng.chance(0.75)) {
      return { region: rng.int(0, this.skeleton.regionSquads.length - 1), current: null, former: null };
    }
    const info = this.skeleton.squad(formerSquad);
    const joinedMs = randomTime(rng, info.createdMs, nowMs - 150 * DAY_MS);
    const leftMs = randomTime(rng, Math.max(joinedMs + 30 * DAY_MS, nowMs - 400 * DAY_MS), nowMs - 5 * DAY_MS);
    return {
      region: info.region,
      current: null,
      former: { squad: formerSquad, player, role: rng.chance(0.3) ? 'recruit' : 'member', joinedMs, leftMs },
    };
  }

  private squadOfSlot(slot: number): number {
    let low = 0;
    let high = this.skeleton.config.squadCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.slotStart[middle] ?? 0) <= slot) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  private callsign(player: number): string {
    const combinations = CALLSIGN_FIRST.length * CALLSIGN_SECOND.length;
    const combination = this.callsigns.apply(player % combinations);
    const edition = Math.floor(player / combinations);
    const first = itemAt(CALLSIGN_FIRST, combination % CALLSIGN_FIRST.length);
    const second = itemAt(CALLSIGN_SECOND, Math.floor(combination / CALLSIGN_FIRST.length));
    return edition > 0 ? `${first}${second}${edition + 1}` : `${first}${second}`;
  }
}

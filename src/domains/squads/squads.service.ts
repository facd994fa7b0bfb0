import { Injectable } from '@nestjs/common';

import { type Page, toPage } from '../../common/dto/pagination';
import { AppError } from '../../common/errors/app-error';
import { containsPattern, timeRange } from '../../common/util/time-range';
import type { SquadMember as SquadMemberResource } from '../../upstream/squad-api.types';
import type { GetHeadToHeadInput, HeadToHead } from './dto/head-to-head.dto';
import type { ListSquadsInput, SquadSummary } from './dto/list-squads.dto';
import type { SquadProfile } from './dto/squad-profile.dto';
import type { GetSquadRecordInput, SquadRecord } from './dto/squad-record.dto';
import type { GetSquadRosterInput, RosterMember, SquadRoster } from './dto/squad-roster.dto';
import { SQUAD_ROLES } from './entities/squad-member.entity';
import { SquadsRepository } from './squads.repository';
import { SquadsUpstream } from './squads.upstream';

const FIND_SQUAD_HINT = "Use list_squads to find a squad's id";

const squadNotFound = (squadId: number, label = 'Squad'): AppError => AppError.notFound(`${label} ${squadId} not found`, FIND_SQUAD_HINT);

function toRosterMember(member: SquadMemberResource): RosterMember {
  return {
    id: member.player_id,
    callsign: member.callsign,
    display_name: member.display_name,
    role: member.role,
    joined_at: new Date(member.joined_at).toISOString(),
    left_at: member.left_at === null ? null : new Date(member.left_at).toISOString(),
    current: member.left_at === null,
  };
}

/** Captain first, then co-captains, members and recruits; then by joined_at and player id. */
function rosterOrder(a: RosterMember, b: RosterMember): number {
  return SQUAD_ROLES.indexOf(a.role) - SQUAD_ROLES.indexOf(b.role) || a.joined_at.localeCompare(b.joined_at) || a.id - b.id;
}

@Injectable()
export class SquadsService {
  constructor(
    private readonly repository: SquadsRepository,
    private readonly upstream: SquadsUpstream,
  ) {}

  async getSquad(squadId: number): Promise<SquadProfile> {
    const squad = await this.upstream.getSquad(squadId);
    if (squad === undefined) {
      throw squadNotFound(squadId);
    }
    return {
      id: squad.id,
      name: squad.name,
      tag: squad.tag,
      region: squad.region,
      is_recruiting: squad.is_recruiting,
      home_field_id: squad.home_field_id,
      captain_player_id: squad.captain_player_id,
      founded_on: squad.founded_on,
      description: squad.description,
      created_at: new Date(squad.created_at).toISOString(),
    };
  }

  async listSquads(input: ListSquadsInput): Promise<Page<SquadSummary>> {
    const filter = { pattern: containsPattern(input.query), region: input.region ?? null, recruiting: input.recruiting ?? null };
    const { rows, total } = await this.repository.list(filter, input.limit, input.offset);
    return toPage(rows, total, input);
  }

  async getSquadRoster(input: GetSquadRosterInput): Promise<SquadRoster> {
    const [squad, memberships] = await Promise.all([this.upstream.getSquad(input.squad_id), this.upstream.getSquadMembers(input.squad_id)]);
    if (squad === undefined || memberships === undefined) {
      throw squadNotFound(input.squad_id);
    }
    const members = memberships
      .filter((member) => input.include_former || member.left_at === null)
      .map(toRosterMember)
      .sort(rosterOrder);
    return { squad_id: squad.id, members };
  }

  async getSquadRecord(input: GetSquadRecordInput): Promise<SquadRecord> {
    const { since, until } = timeRange(input.since, input.until);
    const record = await this.repository.record(input.squad_id, since, until);
    if (record === undefined) {
      throw squadNotFound(input.squad_id);
    }
    return record;
  }

  async getHeadToHead(input: GetHeadToHeadInput): Promise<HeadToHead> {
    if (input.squad_id === input.opponent_squad_id) {
      throw AppError.invalidInput([{ field: 'opponent_squad_id', message: 'opponent_squad_id must differ from squad_id' }]);
    }
    const { record, rows } = await this.repository.headToHead(input.squad_id, input.opponent_squad_id, input.limit, input.offset);
    if (!record.squad_found) {
      throw squadNotFound(input.squad_id);
    }
    if (!record.opponent_found) {
      throw squadNotFound(input.opponent_squad_id, 'Opponent squad');
    }
    const { squad_found: _squad, opponent_found: _opponent, matches_played: total, ...tally } = record;
    const items = rows.map((row) => ({ ...row, played_at: row.played_at.toISOString() }));
    return { squad_id: input.squad_id, opponent_squad_id: input.opponent_squad_id, ...tally, ...toPage(items, total, input) };
  }
}

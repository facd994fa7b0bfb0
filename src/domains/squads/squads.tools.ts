import { Injectable } from '@nestjs/common';

import type { Page } from '../../common/dto/pagination';
import { McpTool } from '../../mcp/catalog/mcp-tool.decorator';
import { GetHeadToHeadInput, HeadToHead } from './dto/head-to-head.dto';
import { ListSquadsInput, type SquadSummary, SquadSummaryPage } from './dto/list-squads.dto';
import { GetSquadInput, SquadProfile } from './dto/squad-profile.dto';
import { GetSquadRecordInput, SquadRecord } from './dto/squad-record.dto';
import { GetSquadRosterInput, SquadRoster } from './dto/squad-roster.dto';
import { SquadsService } from './squads.service';

@Injectable()
export class SquadsTools {
  constructor(private readonly squads: SquadsService) {}

  @McpTool({
    name: 'get_squad',
    title: 'Get a squad',
    description:
      "One squad: name, tag, region, home field, captain's player id, founding date, recruiting, description. Find " +
      'the id with list_squads; members: get_squad_roster. Example: {"squad_id": 4}.',
    version: '1.0.0',
    cache: true,
    resource: {
      uri: 'squad://squads/{squad_id}',
      name: 'squad',
      title: 'Squad',
      description: "One squad's profile, the same body as get_squad; attach it to talk about that squad.",
    },
    input: GetSquadInput,
    output: SquadProfile,
  })
  getSquad(input: GetSquadInput): Promise<SquadProfile> {
    return this.squads.getSquad(input.squad_id);
  }

  @McpTool({
    name: 'list_squads',
    title: 'List squads',
    description:
      'Finds squads by part of the name (any case), region or recruiting; by name, each with its member count. ' +
      'Gives the squad_id that get_squad and the other squad tools need. Example: {"query": "syndicate", "region": ' +
      '"Pacific Northwest", "recruiting": true, "limit": 5}.',
    version: '1.0.0',
    input: ListSquadsInput,
    output: SquadSummaryPage,
  })
  listSquads(input: ListSquadsInput): Promise<Page<SquadSummary>> {
    return this.squads.listSquads(input);
  }

  @McpTool({
    name: 'get_squad_roster',
    title: "Get a squad's roster",
    description:
      "A squad's members (former ones too with include_former): role, callsign, display name, joined and left; " +
      'captain first; not paged. The squad: get_squad; a member: get_player. Example: {"squad_id": 4}.',
    version: '1.0.0',
    cache: true,
    input: GetSquadRosterInput,
    output: SquadRoster,
  })
  getSquadRoster(input: GetSquadRosterInput): Promise<SquadRoster> {
    return this.squads.getSquadRoster(input);
  }

  @McpTool({
    name: 'get_squad_record',
    title: "Get a squad's record",
    description:
      "A squad's record over final matches in [since, until): played, wins, losses, draws, points for and against, " +
      'streak (+n: n wins, -n: n losses). One rivalry: get_head_to_head. Example: {"squad_id": 4, "since": ' +
      '"2026-01-01"}.',
    version: '1.0.0',
    input: GetSquadRecordInput,
    output: SquadRecord,
  })
  getSquadRecord(input: GetSquadRecordInput): Promise<SquadRecord> {
    return this.squads.getSquadRecord(input);
  }

  @McpTool({
    name: 'get_head_to_head',
    title: 'Get two squads\' head-to-head',
    description:
      "Two squads against each other, from squad_id's side: wins, losses, draws, points for and against, and their " +
      'final matches, newest first. Against everyone: get_squad_record. Example: {"squad_id": 4, ' +
      '"opponent_squad_id": 36, "limit": 5}.',
    version: '1.0.0',
    input: GetHeadToHeadInput,
    output: HeadToHead,
  })
  getHeadToHead(input: GetHeadToHeadInput): Promise<HeadToHead> {
    return this.squads.getHeadToHead(input);
  }
}

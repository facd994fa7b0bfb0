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
      "Returns one squad's profile: name, tag, region, home field, captain's player id, founding date (YYYY-MM-DD), " +
      'whether it is recruiting, and its description. Use it when you already know the squad id; to find an id from a ' +
      'name, use list_squads first; for the members use get_squad_roster. Example: {"squad_id": 4}.',
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
      'Finds squads by a fragment of their name (case-insensitive), by region and by whether they are recruiting; every ' +
      'filter is optional. Returns a page of squad summaries with their current member count, ordered by name, then id. ' +
      'Use it to turn a squad name into an id for the other squad tools, or to find squads a player could join. ' +
      'Example: {"query": "syndicate", "region": "Pacific Northwest", "recruiting": true, "limit": 5}.',
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
      "Returns a squad's members with their role, callsign, display name and when they joined (and left). Current " +
      'members only, unless include_former is true. Ordered by role (captain, co_captain, member, recruit), then ' +
      'joined_at, then player id. Not paged: a roster is small and comes whole. Use get_squad for the squad itself and ' +
      'get_player for one member\'s profile. Example: {"squad_id": 4, "include_former": false}.',
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
      "Aggregates a squad's final matches (home or away), optionally within [since, until): matches played, wins, " +
      'losses, draws, points for and against, and the current streak (+n = the last n results were wins, -n = the ' +
      'last n were losses, 0 = no matches or the latest was a draw). Use it for "how is squad X doing"; use ' +
      'get_head_to_head for one rivalry and list_recent_matches for the games themselves. ' +
      'Example: {"squad_id": 4, "since": "2026-01-01"}.',
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
      "Compares two squads: their record against each other over all their final matches, from squad_id's side " +
      '(wins, losses, draws, points for and against), plus a page of those matches, newest first (played_at ' +
      "descending, then match id descending), each with the scores and the result from squad_id's side. Use it for " +
      'rivalry questions; use get_squad_record for a squad against everyone. ' +
      'Example: {"squad_id": 4, "opponent_squad_id": 36, "limit": 5}.',
    version: '1.0.0',
    input: GetHeadToHeadInput,
    output: HeadToHead,
  })
  getHeadToHead(input: GetHeadToHeadInput): Promise<HeadToHead> {
    return this.squads.getHeadToHead(input);
  }
}

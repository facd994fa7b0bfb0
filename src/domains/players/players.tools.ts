import { Injectable } from '@nestjs/common';

import type { Page } from '../../common/dto/pagination';
import { McpTool } from '../../mcp/catalog/mcp-tool.decorator';
import { ListPlayerMatchesInput, type PlayerMatchLine, PlayerMatchPage } from './dto/player-matches.dto';
import { GetPlayerInput, PlayerProfile } from './dto/player-profile.dto';
import { GetPlayerStatsInput, PlayerStats } from './dto/player-stats.dto';
import { PlayerSearchPage, type PlayerSummary, SearchPlayersInput } from './dto/search-players.dto';
import { PlayersService } from './players.service';

@Injectable()
export class PlayersTools {
  constructor(private readonly players: PlayersService) {}

  @McpTool({
    name: 'get_player',
    title: 'Get a player',
    description:
      "One player's profile: callsign, display name, region, home field, position, skill rating (email for admin " +
      'keys only). Find the id with search_players. Example: {"player_id": 42}.',
    version: '1.0.0',
    cache: true,
    // Personal data leaves only for the admin role.
    restrictedFields: { email: ['admin'] },
    resource: {
      uri: 'squad://players/{player_id}',
      name: 'player',
      title: 'Player',
      description: "One player's profile, the same body as get_player; attach it to talk about that player.",
    },
    input: GetPlayerInput,
    output: PlayerProfile,
  })
  getPlayer(input: GetPlayerInput): Promise<PlayerProfile> {
    return this.players.getPlayer(input.player_id);
  }

  @McpTool({
    name: 'search_players',
    title: 'Search players',
    description:
      'Finds players by part of a callsign or display name (any case), region or position; by callsign. Gives the ' +
      'player_id that get_player and the other player tools need. Example: {"query": "otter", "region": "Midwest", ' +
      '"limit": 5}.',
    version: '1.0.0',
    input: SearchPlayersInput,
    output: PlayerSearchPage,
  })
  searchPlayers(input: SearchPlayersInput): Promise<Page<PlayerSummary>> {
    return this.players.searchPlayers(input);
  }

  @McpTool({
    name: 'get_player_stats',
    title: "Get a player's career stats",
    description:
      "A player's totals over final matches in [since, until): played, wins, losses, draws, eliminations, times " +
      'eliminated, elimination ratio, flag captures, win rate. The games themselves: list_player_matches. Example: ' +
      '{"player_id": 42, "since": "2026-01-01"}.',
    version: '1.0.0',
    input: GetPlayerStatsInput,
    output: PlayerStats,
  })
  getPlayerStats(input: GetPlayerStatsInput): Promise<PlayerStats> {
    return this.players.getPlayerStats(input);
  }

  @McpTool({
    name: 'list_player_matches',
    title: "List a player's matches",
    description:
      "A player's matches, newest first, each with the scores, the player's squad, result and stat line. Totals: " +
      'get_player_stats. Example: {"player_id": 42, "limit": 10}.',
    version: '1.0.0',
    input: ListPlayerMatchesInput,
    output: PlayerMatchPage,
  })
  listPlayerMatches(input: ListPlayerMatchesInput): Promise<Page<PlayerMatchLine>> {
    return this.players.listPlayerMatches(input);
  }
}

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
      "Returns one player's profile: callsign, display name, region, home field, preferred position and skill rating " +
      '(email only for admin keys). Use it when you already know the player id; to find an id from a name, use ' +
      'search_players first. Example: {"player_id": 42}.',
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
      'Finds players by a fragment of their callsign or display name (case-insensitive), by region and by preferred ' +
      'position; every filter is optional. Returns a page of player summaries ordered by callsign, then id. Use it to ' +
      'turn a name into a player id for the other player tools. Example: {"query": "otter", "region": "Midwest", "limit": 5}.',
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
      "Aggregates a player's final matches, optionally within [since, until): matches played, wins, losses, draws, " +
      'eliminations, times eliminated, elimination ratio, flag captures and win rate. Use it for "how good is X" ' +
      'questions; use list_player_matches for the individual games. Example: {"player_id": 42, "since": "2026-01-01"}.',
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
      'Lists the matches a player has a stat line in, newest first (played_at descending, then match id descending), ' +
      "each with the scores, the player's squad, result and personal stat line. Use it for a player's recent form or " +
      'match history; use get_player_stats for totals. Example: {"player_id": 42, "limit": 10, "offset": 0}.',
    version: '1.0.0',
    input: ListPlayerMatchesInput,
    output: PlayerMatchPage,
  })
  listPlayerMatches(input: ListPlayerMatchesInput): Promise<Page<PlayerMatchLine>> {
    return this.players.listPlayerMatches(input);
  }
}

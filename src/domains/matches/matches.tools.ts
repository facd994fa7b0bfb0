import { Injectable } from '@nestjs/common';

import type { Page } from '../../common/dto/pagination';
import { McpTool } from '../../mcp/catalog/mcp-tool.decorator';
import { GetLeaderboardInput, type LeaderboardEntry, LeaderboardPage } from './dto/leaderboard.dto';
import { GetMatchInput, MatchDetail } from './dto/match.dto';
import { ListRecentMatchesInput, type MatchSummary, RecentMatchPage } from './dto/recent-matches.dto';
import { GetSquadRankingsInput, type SquadRanking, SquadRankingPage } from './dto/squad-rankings.dto';
import { MatchesService } from './matches.service';

@Injectable()
export class MatchesTools {
  constructor(private readonly matches: MatchesService) {}

  @McpTool({
    name: 'get_match',
    title: 'Get a match',
    description:
      "One match: time, field, event, format, squads, score, status and each player's stat line (final matches " +
      'only). Find ids with list_recent_matches. Example: {"match_id": 423}.',
    version: '1.0.0',
    cache: true,
    resource: {
      uri: 'squad://matches/{match_id}',
      name: 'match',
      title: 'Match',
      description: 'One match with its per-player stats, the same body as get_match; attach it to talk about that match.',
    },
    input: GetMatchInput,
    output: MatchDetail,
  })
  getMatch(input: GetMatchInput): Promise<MatchDetail> {
    return this.matches.getMatch(input.match_id);
  }

  @McpTool({
    name: 'list_recent_matches',
    title: 'List recent matches',
    description:
      'Final matches, newest first, by squad (home or away), field or [since, until); no stat lines (get_match has ' +
      'them). One player\'s: list_player_matches. Example: {"squad_id": 4, "since": "2026-01-01", "limit": 5}.',
    version: '1.0.0',
    input: ListRecentMatchesInput,
    output: RecentMatchPage,
  })
  listRecentMatches(input: ListRecentMatchesInput): Promise<Page<MatchSummary>> {
    return this.matches.listRecentMatches(input);
  }

  @McpTool({
    name: 'get_leaderboard',
    title: 'Get the player leaderboard',
    description:
      'Ranks players over final matches by eliminations, elimination_ratio (eliminations ÷ max(times eliminated, ' +
      '1)), wins or flag_captures; by region, [since, until), min_matches. One player: get_player_stats; squads: ' +
      'get_squad_rankings. Example: {"metric": "elimination_ratio", "region": "Texas", "min_matches": 5, "limit": ' +
      '10}.',
    version: '1.0.0',
    input: GetLeaderboardInput,
    output: LeaderboardPage,
  })
  getLeaderboard(input: GetLeaderboardInput): Promise<Page<LeaderboardEntry>> {
    return this.matches.getLeaderboard(input);
  }

  @McpTool({
    name: 'get_squad_rankings',
    title: 'Get the squad rankings',
    description:
      'Ranks squads over final matches by win rate, then points for, with their records; by region, [since, until),' +
      ' min_matches. One squad: get_squad_record. Example: {"region": "Midwest", "since": "2026-01-01", ' +
      '"min_matches": 3}.',
    version: '1.0.0',
    input: GetSquadRankingsInput,
    output: SquadRankingPage,
  })
  getSquadRankings(input: GetSquadRankingsInput): Promise<Page<SquadRanking>> {
    return this.matches.getSquadRankings(input);
  }
}

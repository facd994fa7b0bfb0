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
      'Returns one match: when and where it was played, its event, format, the two squads, the score and status, and ' +
      "every player's stat line (eliminations, times eliminated, flag captures; the home squad's lines first, then the " +
      "away squad's, each by player id; empty unless the match is final). Use it for the box score of a match whose id " +
      'you know; use list_recent_matches to find match ids. Example: {"match_id": 423}.',
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
      'Lists final matches newest first (played_at descending, then match id descending), optionally only those a squad ' +
      'played (home or away), those on one field, and those played in [since, until). Each item has the squads, score, ' +
      'field, event and format, without stat lines. Use it for "recent results" questions and to find match ids for ' +
      "get_match; use list_player_matches for one player's games. Example: {\"squad_id\": 4, \"since\": \"2026-01-01\", \"limit\": 5}.",
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
      'Ranks players over final matches by one metric: eliminations (total), elimination_ratio (eliminations ÷ ' +
      'max(times eliminated, 1), 3 decimals), wins (matches their side won) or flag_captures (total). Optional filters: ' +
      "the player's region, matches played in [since, until), and min_matches (default 1) to leave out players with few " +
      'games. Ordered by value descending, then player id; rank counts from 1 over the whole ranking, so a page at ' +
      "offset 20 starts at rank 21. Use it for \"who is best at X\" questions; use get_player_stats for one player's " +
      'totals and get_squad_rankings for squads. Example: {"metric": "elimination_ratio", "region": "Texas", "min_matches": 5, "limit": 10}.',
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
      "Ranks squads by their final matches (home and away): each entry has the squad's matches played, wins, losses, " +
      'draws, win rate (3 decimals), points for and against. Optional filters: the squad\'s region, matches played in ' +
      '[since, until), and min_matches (default 1). Ordered by win_rate descending, then points_for descending, then ' +
      'squad id; rank counts from 1 over the whole ranking. Use it for "best squads" questions; use get_squad_record ' +
      'for one squad. Example: {"region": "Midwest", "since": "2026-01-01", "min_matches": 3}.',
    version: '1.0.0',
    input: GetSquadRankingsInput,
    output: SquadRankingPage,
  })
  getSquadRankings(input: GetSquadRankingsInput): Promise<Page<SquadRanking>> {
    return this.matches.getSquadRankings(input);
  }
}

import { Injectable } from '@nestjs/common';

import { type Page, toPage } from '../../common/dto/pagination';
import { AppError } from '../../common/errors/app-error';
import { timeRange } from '../../common/util/time-range';
import type { GetLeaderboardInput, LeaderboardEntry, RankingFilterInput } from './dto/leaderboard.dto';
import type { MatchDetail, MatchStatLine } from './dto/match.dto';
import type { ListRecentMatchesInput, MatchSummary } from './dto/recent-matches.dto';
import type { GetSquadRankingsInput, SquadRanking } from './dto/squad-rankings.dto';
import { MatchesRepository, type RankingFilter } from './matches.repository';
import { MatchesUpstream } from './matches.upstream';

const FIND_MATCH_HINT = "Use list_recent_matches to find a match's id";
const FIND_SQUAD_HINT = "Use list_squads to find a squad's id";
const FIND_FIELD_HINT = "Use list_upcoming_events or list_recent_matches to find a field's id";

function rankingFilter(input: RankingFilterInput): RankingFilter {
  const { since, until } = timeRange(input.since, input.until);
  return { region: input.region ?? null, since, until, minMatches: input.min_matches };
}

@Injectable()
export class MatchesService {
  constructor(
    private readonly repository: MatchesRepository,
    private readonly upstream: MatchesUpstream,
  ) {}

  async getMatch(matchId: number): Promise<MatchDetail> {
    const match = await this.upstream.getMatch(matchId);
    if (match === undefined) {
      throw AppError.notFound(`Match ${matchId} not found`, FIND_MATCH_HINT);
    }
    const homeFirst = (line: MatchStatLine): number => (line.squad_id === match.home_squad_id ? 0 : 1);
    const playerStats = match.player_stats
      .map(({ player_id, squad_id, eliminations, times_eliminated, flag_captures }) => ({
        player_id,
        squad_id,
        eliminations,
        times_eliminated,
        flag_captures,
      }))
      .sort((a, b) => homeFirst(a) - homeFirst(b) || a.player_id - b.player_id);
    return {
      id: match.id,
      event_id: match.event_id,
      field_id: match.field_id,
      played_at: new Date(match.played_at).toISOString(),
      format: match.format,
      home_squad_id: match.home_squad_id,
      away_squad_id: match.away_squad_id,
      home_score: match.home_score,
      away_score: match.away_score,
      status: match.status,
      player_stats: playerStats,
    };
  }

  async listRecentMatches(input: ListRecentMatchesInput): Promise<Page<MatchSummary>> {
    const { since, until } = timeRange(input.since, input.until);
    const filter = { squadId: input.squad_id ?? null, fieldId: input.field_id ?? null, since, until };
    const result = await this.repository.recent(filter, input.limit, input.offset);
    switch (result.missing) {
      case 'squad':
        throw AppError.notFound(`Squad ${String(input.squad_id)} not found`, FIND_SQUAD_HINT);
      case 'field':
        throw AppError.notFound(`Field ${String(input.field_id)} not found`, FIND_FIELD_HINT);
      case null:
        break;
    }
    const items = result.rows.map((row) => ({ ...row, played_at: row.played_at.toISOString() }));
    return toPage(items, result.total, input);
  }

  async getLeaderboard(input: GetLeaderboardInput): Promise<Page<LeaderboardEntry>> {
    const { rows, total } = await this.repository.leaderboard(input.metric, rankingFilter(input), input.limit, input.offset);
    return toPage(rows, total, input);
  }

  async getSquadRankings(input: GetSquadRankingsInput): Promise<Page<SquadRanking>> {
    const { rows, total } = await this.repository.squadRankings(rankingFilter(input), input.limit, input.offset);
    return toPage(rows, total, input);
  }
}

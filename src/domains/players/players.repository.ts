import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ReadOnlyGateway } from '../../database/read-only-gateway';
import { SqlBuilder } from '../../database/sql-builder';
import { compileList, compileQuery, paged, type RowPage, type Variant, variants, whereBound } from '../../database/sql-query';
import { Match } from '../matches/entities/match.entity';
import { MatchPlayerStat } from '../matches/entities/match-player-stat.entity';
import { Player, type PlayerPosition } from './entities/player.entity';

export interface PlayerSearchFilter {
  readonly pattern: string | null;
  readonly region: string | null;
  readonly position: PlayerPosition | null;
}

export interface PlayerSummaryRow {
  id: number;
  callsign: string;
  display_name: string;
  region: string;
  position: PlayerPosition;
  skill_rating: number;
}

export interface PlayerStatsRow {
  player_id: number;
  matches_played: number;
  wins: number;
  losses: number;
  draws: number;
  eliminations: number;
  times_eliminated: number;
  elimination_ratio: number;
  flag_captures: number;
  win_rate: number;
}

export interface PlayerMatchRow {
  id: number;
  played_at: Date;
  status: Match['status'];
  format: string;
  field_id: number;
  event_id: number | null;
  home_squad_id: number;
  away_squad_id: number;
  home_score: number | null;
  away_score: number | null;
  squad_id: number;
  result: 'win' | 'loss' | 'draw' | null;
  eliminations: number;
  times_eliminated: number;
  flag_captures: number;
}

interface CountRow {
  total: number;
}

/** +1 when the player's side won a counted match, -1 when it lost, 0 for a draw. */
const OUTCOME_WHEN_COUNTED =
  'CASE WHEN m.id IS NULL THEN NULL ' +
  'WHEN s.squadId = m.homeSquadId THEN SIGN(m.homeScore - m.awayScore) ELSE SIGN(m.awayScore - m.homeScore) END';
const RESULT =
  "CASE WHEN m.status <> 'final' THEN NULL " +
  "WHEN s.squadId = m.homeSquadId THEN (CASE SIGN(m.homeScore - m.awayScore) WHEN 1 THEN 'win' WHEN -1 THEN 'loss' ELSE 'draw' END) " +
  "ELSE (CASE SIGN(m.awayScore - m.homeScore) WHEN 1 THEN 'win' WHEN -1 THEN 'loss' ELSE 'draw' END) END";

type SearchFilterParam = 'pattern' | 'region' | 'position';

/** The search's conditions, only those whose filter this variant binds. */
function searchFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, variant: Variant<SearchFilterParam>): SelectQueryBuilder<T> {
  return whereBound(builder, variant, {
    region: 'lower(p.region) = lower(:region)',
    position: 'p.position = :position',
    pattern: "(p.callsign ILIKE :pattern ESCAPE '\\' OR p.displayName ILIKE :pattern ESCAPE '\\')",
  });
}

/** The players domain's read-only SQL: fixed statements compiled once from the entities. */
@Injectable()
export class PlayersRepository {
  private readonly searchList;
  private readonly statsQuery;
  private readonly matchesPage;
  private readonly matchesCount;

  constructor(
    sql: SqlBuilder,
    private readonly gateway: ReadOnlyGateway,
  ) {
    const filters = ['pattern', 'region', 'position'] as const;
    this.searchList = variants(filters, (variant) =>
      compileList(
        'players_search',
        filters,
        () => searchFilter(sql.select(Player, 'p'), variant),
        (builder) =>
          builder
            .select('p.id', 'id')
            .addSelect('p.callsign', 'callsign')
            .addSelect('p.displayName', 'display_name')
            .addSelect('p.region', 'region')
            .addSelect('p.position', 'position')
            .addSelect('p.skillRating', 'skill_rating')
            // The same order either way; but with a fragment, an expression the callsign index
            // cannot supply, so the planner collects the few matches through the trigram indexes
            // and sorts them, instead of walking the whole callsign index in order for the first.
            .orderBy(variant.has('pattern') ? "p.callsign || ''" : 'p.callsign', 'ASC')
            .addOrderBy('p.id', 'ASC'),
        variant,
      ),
    );
    this.statsQuery = compileQuery(
      'player_stats',
      ['playerId', 'since', 'until'],
      sql
        .query()
        .select('t.player_id', 'player_id')
        .addSelect('CAST(COUNT(t.match_id) AS integer)', 'matches_played')
        .addSelect('CAST(COUNT(*) FILTER (WHERE t.outcome = 1) AS integer)', 'wins')
        .addSelect('CAST(COUNT(*) FILTER (WHERE t.outcome = -1) AS integer)', 'losses')
        .addSelect('CAST(COUNT(*) FILTER (WHERE t.outcome = 0) AS integer)', 'draws')
        .addSelect('CAST(COALESCE(SUM(t.eliminations), 0) AS integer)', 'eliminations')
        .addSelect('CAST(COALESCE(SUM(t.times_eliminated), 0) AS integer)', 'times_eliminated')
        .addSelect('CAST(COALESCE(SUM(t.flag_captures), 0) AS integer)', 'flag_captures')
        .addSelect(
          'CAST(ROUND(CAST(COALESCE(SUM(t.eliminations), 0) AS numeric) / GREATEST(COALESCE(SUM(t.times_eliminated), 0), 1), 3) AS float8)',
          'elimination_ratio',
        )
        .addSelect(
          'CAST(ROUND(CAST(COUNT(*) FILTER (WHERE t.outcome = 1) AS numeric) / GREATEST(COUNT(t.match_id), 1), 3) AS float8)',
          'win_rate',
        )
        .from(
          (inner) =>
            inner
              .subQuery()
              .select('p.id', 'player_id')
              .addSelect('m.id', 'match_id')
              .addSelect(OUTCOME_WHEN_COUNTED, 'outcome')
              .addSelect('CASE WHEN m.id IS NULL THEN NULL ELSE s.eliminations END', 'eliminations')
              .addSelect('CASE WHEN m.id IS NULL THEN NULL ELSE s.timesEliminated END', 'times_eliminated')
              .addSelect('CASE WHEN m.id IS NULL THEN NULL ELSE s.flagCaptures END', 'flag_captures')
              .from(Player, 'p')
              .leftJoin(MatchPlayerStat, 's', 's.playerId = p.id')
              .leftJoin(
                Match,
                'm',
                "m.id = s.matchId AND m.status = 'final'" +
                  ' AND (CAST(:since AS timestamptz) IS NULL OR m.playedAt >= CAST(:since AS timestamptz))' +
                  ' AND (CAST(:until AS timestamptz) IS NULL OR m.playedAt < CAST(:until AS timestamptz))',
              )
              .where('p.id = :playerId'),
          't',
        )
        .groupBy('t.player_id'),
    );
    this.matchesPage = paged(
      compileQuery(
        'player_matches',
        ['playerId'],
        sql
          .select(MatchPlayerStat, 's')
          .innerJoin(Match, 'm', 'm.id = s.matchId')
          .select('m.id', 'id')
          .addSelect('m.playedAt', 'played_at')
          .addSelect('m.status', 'status')
          .addSelect('m.format', 'format')
          .addSelect('m.fieldId', 'field_id')
          .addSelect('m.eventId', 'event_id')
          .addSelect('m.homeSquadId', 'home_squad_id')
          .addSelect('m.awaySquadId', 'away_squad_id')
          .addSelect('m.homeScore', 'home_score')
          .addSelect('m.awayScore', 'away_score')
          .addSelect('s.squadId', 'squad_id')
          .addSelect(RESULT, 'result')
          .addSelect('s.eliminations', 'eliminations')
          .addSelect('s.timesEliminated', 'times_eliminated')
          .addSelect('s.flagCaptures', 'flag_captures')
          .where('s.playerId = :playerId')
          .orderBy('m.playedAt', 'DESC')
          .addOrderBy('m.id', 'DESC'),
      ),
    );
    this.matchesCount = compileQuery(
      'player_matches_count',
      ['playerId'],
      sql
        .select(Player, 'p')
        .select('CAST(COUNT(s.matchId) AS integer)', 'total')
        .leftJoin(MatchPlayerStat, 's', 's.playerId = p.id')
        .where('p.id = :playerId')
        .groupBy('p.id'),
    );
  }

  search(filter: PlayerSearchFilter, limit: number, offset: number): Promise<RowPage<PlayerSummaryRow>> {
    return this.gateway.page(this.searchList(filter), filter, limit, offset);
  }

  /** Undefined when the player does not exist. */
  async stats(playerId: number, since: Date | null, until: Date | null): Promise<PlayerStatsRow | undefined> {
    const rows = await this.gateway.rows<PlayerStatsRow, 'playerId' | 'since' | 'until'>(this.statsQuery, { playerId, since, until });
    return rows[0];
  }

  /** Undefined when the player does not exist. */
  async matches(playerId: number, limit: number, offset: number): Promise<{ rows: PlayerMatchRow[]; total: number } | undefined> {
    const [rows, counts] = await Promise.all([
      this.gateway.rows<PlayerMatchRow, 'playerId' | 'limit' | 'offset'>(this.matchesPage, { playerId, limit, offset }),
      this.gateway.rows<CountRow, 'playerId'>(this.matchesCount, { playerId }),
    ]);
    const count = counts[0];
    return count === undefined ? undefined : { rows, total: count.total };
  }
}

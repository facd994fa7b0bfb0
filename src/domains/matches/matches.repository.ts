import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ReadOnlyGateway } from '../../database/read-only-gateway';
import { SqlBuilder } from '../../database/sql-builder';
import { compileQuery, paged, type RowPage, type SqlQuery, type Variant, variants, whereBound } from '../../database/sql-query';
import { Field } from '../events/entities/field.entity';
import { Player } from '../players/entities/player.entity';
import { Squad } from '../squads/entities/squad.entity';
import { LEADERBOARD_METRICS, type LeaderboardEntry, type LeaderboardMetric } from './dto/leaderboard.dto';
import type { SquadRanking } from './dto/squad-rankings.dto';
import { Match } from './entities/match.entity';
import { MatchPlayerStat } from './entities/match-player-stat.entity';

export interface RecentMatchFilter {
  readonly squadId: number | null;
  readonly fieldId: number | null;
  readonly since: Date | null;
  readonly until: Date | null;
}

export interface RankingFilter {
  readonly region: string | null;
  readonly since: Date | null;
  readonly until: Date | null;
  readonly minMatches: number;
}

export interface MatchRow {
  id: number;
  played_at: Date;
  field_id: number;
  event_id: number | null;
  format: string;
  home_squad_id: number;
  away_squad_id: number;
  home_score: number | null;
  away_score: number | null;
  status: Match['status'];
}

export interface RecentMatches {
  rows: MatchRow[];
  total: number;
  missing: 'squad' | 'field' | null;
}

interface RecentCountRow {
  total: number;
  squad_id: number | null;
  field_id: number | null;
}

type Paging = 'limit' | 'offset';

/** Each metric's value for one player's group of stat lines: fixed text, chosen by name, never built from input. */
const METRIC_VALUES: Readonly<Record<LeaderboardMetric, string>> = {
  eliminations: 'CAST(SUM(s.eliminations) AS integer)',
  elimination_ratio: 'CAST(ROUND(CAST(SUM(s.eliminations) AS numeric) / GREATEST(SUM(s.timesEliminated), 1), 3) AS float8)',
  wins:
    'CAST(COUNT(*) FILTER (WHERE CASE WHEN s.squadId = m.homeSquadId THEN m.homeScore > m.awayScore ' +
    'ELSE m.awayScore > m.homeScore END) AS integer)',
  flag_captures: 'CAST(SUM(s.flagCaptures) AS integer)',
};


type RangeParam = 'since' | 'until';

/** Matches in [since, until), each bound only when given; `m` is the match alias. */
function inRange<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, variant: Variant<RangeParam>): SelectQueryBuilder<T> {
  return whereBound(builder, variant, {
    since: 'm.playedAt >= CAST(:since AS timestamptz)',
    until: 'm.playedAt < CAST(:until AS timestamptz)',
  });
}

type RecentParam = 'squadId' | 'fieldId' | RangeParam;
const RECENT_PARAMS: readonly RecentParam[] = ['squadId', 'fieldId', 'since', 'until'];

function recentFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, variant: Variant<RecentParam>): SelectQueryBuilder<T> {
  builder.where("m.status = 'final'");
  whereBound(builder, variant, {
    squadId: '(m.homeSquadId = :squadId OR m.awaySquadId = :squadId)',
    fieldId: 'm.fieldId = :fieldId',
  });
  return inRange(builder, variant);
}

type RankingVariant = Variant<'region' | RangeParam>;

/** One row per player with enough final matches in range; the page and count queries share it. */
function playerTotals(builder: SelectQueryBuilder<ObjectLiteral>, value: string, variant: RankingVariant): SelectQueryBuilder<ObjectLiteral> {
  builder
    .select('p.id', 'id')
    .addSelect('p.callsign', 'callsign')
    .addSelect('p.displayName', 'display_name')
    .addSelect('p.region', 'region')
    .addSelect('CAST(COUNT(*) AS integer)', 'matches_played')
    .addSelect(value, 'value')
    .from(MatchPlayerStat, 's')
    .innerJoin(Match, 'm', "m.id = s.matchId AND m.status = 'final'")
    .innerJoin(Player, 'p', 'p.id = s.playerId');
  if (variant.has('region')) {
    builder.andWhere('lower(p.region) = lower(:region)');
  }
  return inRange(builder, variant).groupBy('p.id').having('COUNT(*) >= :minMatches');
}

function squadTotals(builder: SelectQueryBuilder<ObjectLiteral>, variant: RankingVariant): SelectQueryBuilder<ObjectLiteral> {
  builder
    .select('q.id', 'id')
    .addSelect('q.name', 'name')
    .addSelect('q.tag', 'tag')
    .addSelect('q.region', 'region')
    .addSelect('CAST(COUNT(*) AS integer)', 'matches_played')
    .addSelect(
      'CAST(COUNT(*) FILTER (WHERE CASE WHEN m.homeSquadId = q.id THEN m.homeScore > m.awayScore ELSE m.awayScore > m.homeScore END) AS integer)',
      'wins',
    )
    .addSelect(
      'CAST(COUNT(*) FILTER (WHERE CASE WHEN m.homeSquadId = q.id THEN m.homeScore < m.awayScore ELSE m.awayScore < m.homeScore END) AS integer)',
      'losses',
    )
    .addSelect('CAST(COUNT(*) FILTER (WHERE m.homeScore = m.awayScore) AS integer)', 'draws')
    .addSelect(
      'CAST(ROUND(CAST(COUNT(*) FILTER (WHERE CASE WHEN m.homeSquadId = q.id THEN m.homeScore > m.awayScore ' +
        'ELSE m.awayScore > m.homeScore END) AS numeric) / COUNT(*), 3) AS float8)',
      'win_rate',
    )
    .addSelect('CAST(SUM(CASE WHEN m.homeSquadId = q.id THEN m.homeScore ELSE m.awayScore END) AS integer)', 'points_for')
    .addSelect('CAST(SUM(CASE WHEN m.homeSquadId = q.id THEN m.awayScore ELSE m.homeScore END) AS integer)', 'points_against')
    .from(Squad, 'q')
    .innerJoin(Match, 'm', "(m.homeSquadId = q.id OR m.awaySquadId = q.id) AND m.status = 'final'");
  if (variant.has('region')) {
    builder.andWhere('lower(q.region) = lower(:region)');
  }
  return inRange(builder, variant).groupBy('q.id').having('COUNT(*) >= :minMatches');
}

const RANKING_PARAMS = ['region', 'since', 'until', 'minMatches'] as const;
const RANKING_OPTIONAL = ['region', 'since', 'until'] as const;
type RankingParam = (typeof RANKING_PARAMS)[number];
type Ranked = (filter: RankingFilter) => SqlQuery<RankingParam | Paging>;
type Counted = (filter: RankingFilter) => SqlQuery<RankingParam>;

/** The matches domain's read-only SQL: fixed statements compiled once from the entities. */
@Injectable()
export class MatchesRepository {
  private readonly recentPage;
  private readonly recentCount;
  private readonly leaderboardPages: Readonly<Record<LeaderboardMetric, Ranked>>;
  private readonly leaderboardCount;
  private readonly rankingsPage;
  private readonly rankingsCount;

  constructor(
    sql: SqlBuilder,
    private readonly gateway: ReadOnlyGateway,
  ) {
    this.recentPage = variants(RECENT_PARAMS, (variant) =>
      paged(
        compileQuery(
          'matches_recent',
          variant.bound(RECENT_PARAMS),
          recentFilter(sql.select(Match, 'm'), variant)
            .select('m.id', 'id')
            .addSelect('m.playedAt', 'played_at')
            .addSelect('m.fieldId', 'field_id')
            .addSelect('m.eventId', 'event_id')
            .addSelect('m.format', 'format')
            .addSelect('m.homeSquadId', 'home_squad_id')
            .addSelect('m.awaySquadId', 'away_squad_id')
            .addSelect('m.homeScore', 'home_score')
            .addSelect('m.awayScore', 'away_score')
            .addSelect('m.status', 'status')
            .orderBy('m.playedAt', 'DESC')
            .addOrderBy('m.id', 'DESC'),
          variant,
        ),
      ),
    );
    // The looked-up ids come back null when the squad or field named by a filter does not exist.
    this.recentCount = variants(RECENT_PARAMS, (variant) => {
      const count = recentFilter(sql.select(Match, 'm'), variant).select('CAST(COUNT(*) AS integer)', 'total');
      if (variant.has('squadId')) {
        count.addSelect((sub) => sub.subQuery().select('q.id').from(Squad, 'q').where('q.id = :squadId'), 'squad_id');
      }
      if (variant.has('fieldId')) {
        count.addSelect((sub) => sub.subQuery().select('f.id').from(Field, 'f').where('f.id = :fieldId'), 'field_id');
      }
      return compileQuery('matches_recent_count', variant.bound(RECENT_PARAMS), count, variant);
    });
    type Totals = (sub: SelectQueryBuilder<ObjectLiteral>, variant: RankingVariant) => SelectQueryBuilder<ObjectLiteral>;
    const derived = (totals: Totals, variant: RankingVariant) => (outer: SelectQueryBuilder<ObjectLiteral>) =>
      totals(outer.subQuery() as SelectQueryBuilder<ObjectLiteral>, variant);
    // The rank is numbered over the whole filtered ranking before LIMIT/OFFSET cut the page out of it.
    const ranked = (name: string, totals: Totals, columns: readonly string[], rank: string): Ranked =>
      variants(RANKING_OPTIONAL, (variant) =>
        paged(
          compileQuery(
            name,
            variant.bound(RANKING_PARAMS),
            columns
              .reduce((builder, column) => builder.addSelect(column, column.slice('t.'.length)), sql.query().select(rank, 'rank'))
              .from(derived(totals, variant), 't')
              .orderBy('rank', 'ASC'),
            variant,
          ),
        ),
      );
    const counted = (name: string, totals: Totals): Counted =>
      variants(RANKING_OPTIONAL, (variant) =>
        compileQuery(
          name,
          variant.bound(RANKING_PARAMS),
          sql.query().select('CAST(COUNT(*) AS integer)', 'total').from(derived(totals, variant), 't'),
          variant,
        ),
      );

    const playerColumns = ['t.id', 't.callsign', 't.display_name', 't.region', 't.matches_played', 't.value'];
    const playerRank = 'CAST(ROW_NUMBER() OVER (ORDER BY t.value DESC, t.id ASC) AS integer)';
    const pages = LEADERBOARD_METRICS.map(
      (metric) =>
        [
          metric,
          ranked('leaderboard_' + metric, (sub, variant) => playerTotals(sub, METRIC_VALUES[metric], variant), playerColumns, playerRank),
        ] as const,
    );
    this.leaderboardPages = Object.fromEntries(pages) as Record<LeaderboardMetric, Ranked>;
    // Which players rank does not depend on the metric, so one count serves them all.
    this.leaderboardCount = counted('leaderboard_count', (sub, variant) => playerTotals(sub, METRIC_VALUES.eliminations, variant));

    const squadColumns = [
      't.id',
      't.name',
      't.tag',
      't.region',
      't.matches_played',
      't.wins',
      't.losses',
      't.draws',
      't.win_rate',
      't.points_for',
      't.points_against',
    ];
    const squadRank = 'CAST(ROW_NUMBER() OVER (ORDER BY t.win_rate DESC, t.points_for DESC, t.id ASC) AS integer)';
    this.rankingsPage = ranked('squad_rankings', squadTotals, squadColumns, squadRank);
    this.rankingsCount = counted('squad_rankings_count', squadTotals);
  }

  /** `missing` names the filter whose squad or field does not exist; the page is then empty. */
  async recent(filter: RecentMatchFilter, limit: number, offset: number): Promise<RecentMatches> {
    const [rows, counts] = await Promise.all([
      this.gateway.rows<MatchRow, keyof RecentMatchFilter | Paging>(this.recentPage(filter), { ...filter, limit, offset }),
      this.gateway.rows<RecentCountRow, keyof RecentMatchFilter>(this.recentCount(filter), filter),
    ]);
    const count = counts[0] ?? { total: 0, squad_id: null, field_id: null };
    if (filter.squadId !== null && count.squad_id === null) {
      return { rows: [], total: 0, missing: 'squad' };
    }
    if (filter.fieldId !== null && count.field_id === null) {
      return { rows: [], total: 0, missing: 'field' };
    }
    return { rows, total: count.total, missing: null };
  }

  /** The count does not depend on the metric, so one count statement serves all four pages. */
  leaderboard(metric: LeaderboardMetric, filter: RankingFilter, limit: number, offset: number): Promise<RowPage<LeaderboardEntry>> {
    return this.gateway.page({ page: this.leaderboardPages[metric](filter), count: this.leaderboardCount(filter) }, filter, limit, offset);
  }

  squadRankings(filter: RankingFilter, limit: number, offset: number): Promise<RowPage<SquadRanking>> {
    return this.gateway.page({ page: this.rankingsPage(filter), count: this.rankingsCount(filter) }, filter, limit, offset);
  }
}

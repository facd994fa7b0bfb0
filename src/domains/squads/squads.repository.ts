import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ReadOnlyGateway } from '../../database/read-only-gateway';
import { SqlBuilder } from '../../database/sql-builder';
import { compileList, compileQuery, paged, type RowPage, type Variant, variants, whereBound } from '../../database/sql-query';
import { Match } from '../matches/entities/match.entity';
import type { HeadToHeadMatch } from './dto/head-to-head.dto';
import type { SquadSummary } from './dto/list-squads.dto';
import type { SquadRecord, SquadTally } from './dto/squad-record.dto';
import { Squad } from './entities/squad.entity';
import { SquadMember } from './entities/squad-member.entity';

export interface SquadListFilter {
  readonly pattern: string | null;
  readonly region: string | null;
  readonly recruiting: boolean | null;
}

export interface HeadToHeadRecordRow extends SquadTally {
  squad_found: boolean;
  opponent_found: boolean;
  matches_played: number;
}

export type HeadToHeadMatchRow = Omit<HeadToHeadMatch, 'played_at'> & { played_at: Date };


type HeadToHeadParam = 'squadId' | 'opponentId';

type ListFilterParam = 'pattern' | 'region' | 'recruiting';

/** The list's conditions, only those whose filter this variant binds. */
function listFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, variant: Variant<ListFilterParam>): SelectQueryBuilder<T> {
  return whereBound(builder, variant, {
    region: 'lower(s.region) = lower(:region)',
    recruiting: 's.isRecruiting = :recruiting',
    pattern: "s.name ILIKE :pattern ESCAPE '\\'",
  });
}

/** The pair's final matches, whichever side was at home. */
function headToHeadFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return builder
    .where("m.status = 'final'")
    .andWhere(
      '((m.homeSquadId = :squadId AND m.awaySquadId = :opponentId) OR (m.homeSquadId = :opponentId AND m.awaySquadId = :squadId))',
    );
}

/** +1 when :squadId won the match, -1 when it lost, 0 for a draw. */
const OUTCOME = 'CASE WHEN m.homeSquadId = :squadId THEN SIGN(m.homeScore - m.awayScore) ELSE SIGN(m.awayScore - m.homeScore) END';
const POINTS_FOR = 'CASE WHEN m.homeSquadId = :squadId THEN m.homeScore ELSE m.awayScore END';
const POINTS_AGAINST = 'CASE WHEN m.homeSquadId = :squadId THEN m.awayScore ELSE m.homeScore END';
const RESULT =
  "CASE SIGN(CASE WHEN m.homeSquadId = :squadId THEN m.homeScore - m.awayScore ELSE m.awayScore - m.homeScore END) WHEN 1 THEN 'win' WHEN -1 THEN 'loss' ELSE 'draw' END";

/** The squads domain's read-only SQL, including its questions about matches, compiled once from the entities. */
@Injectable()
export class SquadsRepository {
  private readonly squadList;
  private readonly recordQuery;
  private readonly headToHeadRecord;
  private readonly headToHeadPage;

  constructor(
    sql: SqlBuilder,
    private readonly gateway: ReadOnlyGateway,
  ) {
    const filters = ['pattern', 'region', 'recruiting'] as const;
    this.squadList = variants(filters, (variant) =>
      compileList(
      'squads_list',
      filters,
      () => listFilter(sql.select(Squad, 's'), variant),
      (builder) =>
        builder
          .select('s.id', 'id')
          .addSelect('s.name', 'name')
          .addSelect('s.tag', 'tag')
          .addSelect('s.region', 'region')
          .addSelect('s.isRecruiting', 'is_recruiting')
          .addSelect(
            (members) =>
              members.select('CAST(COUNT(*) AS integer)').from(SquadMember, 'sm').where('sm.squadId = s.id').andWhere('sm.leftAt IS NULL'),
            'member_count',
          )
          .orderBy('s.name', 'ASC')
          .addOrderBy('s.id', 'ASC'),
      variant,
      ),
    );
    // Streak: numbering the results newest first, once overall and once per outcome, the two
    // numbers agree exactly on the leading run of equal outcomes (gaps-and-islands).
    this.recordQuery = compileQuery(
      'squad_record',
      ['squadId', 'since', 'until'],
      sql
        .query()
        .select('w.squad_id', 'squad_id')
        .addSelect('CAST(COUNT(w.match_id) AS integer)', 'matches_played')
        .addSelect('CAST(COUNT(*) FILTER (WHERE w.outcome = 1) AS integer)', 'wins')
        .addSelect('CAST(COUNT(*) FILTER (WHERE w.outcome = -1) AS integer)', 'losses')
        .addSelect('CAST(COUNT(*) FILTER (WHERE w.outcome = 0) AS integer)', 'draws')
        .addSelect('CAST(COALESCE(SUM(w.points_for), 0) AS integer)', 'points_for')
        .addSelect('CAST(COALESCE(SUM(w.points_against), 0) AS integer)', 'points_against')
        .addSelect('CAST(COALESCE(SUM(w.outcome) FILTER (WHERE w.leading_run), 0) AS integer)', 'streak')
        .from(
          (runs) =>
            runs
              .subQuery()
              .select('r.squad_id', 'squad_id')
              .addSelect('r.match_id', 'match_id')
              .addSelect('r.outcome', 'outcome')
              .addSelect('r.points_for', 'points_for')
              .addSelect('r.points_against', 'points_against')
              .addSelect(
                'ROW_NUMBER() OVER (ORDER BY r.played_at DESC, r.match_id DESC) = ' +
                  'ROW_NUMBER() OVER (PARTITION BY r.outcome ORDER BY r.played_at DESC, r.match_id DESC)',
                'leading_run',
              )
              .from(
                (results) =>
                  results
                    .subQuery()
                    .select('s.id', 'squad_id')
                    .addSelect('m.id', 'match_id')
                    .addSelect('m.playedAt', 'played_at')
                    .addSelect(OUTCOME, 'outcome')
                    .addSelect(POINTS_FOR, 'points_for')
                    .addSelect(POINTS_AGAINST, 'points_against')
                    .from(Squad, 's')
                    .leftJoin(
                      Match,
                      'm',
                      "m.status = 'final' AND (m.homeSquadId = :squadId OR m.awaySquadId = :squadId)" +
                        ' AND (CAST(:since AS timestamptz) IS NULL OR m.playedAt >= CAST(:since AS timestamptz))' +
                        ' AND (CAST(:until AS timestamptz) IS NULL OR m.playedAt < CAST(:until AS timestamptz))',
                    )
                    .where('s.id = :squadId'),
                'r',
              ),
          'w',
        )
        .groupBy('w.squad_id'),
    );
    const params = ['squadId', 'opponentId'] as const;
    // Without GROUP BY the aggregate yields one row even for a pair that never met, so the
    // existence of both squads is always answered alongside the tally.
    this.headToHeadRecord = compileQuery(
      'head_to_head_record',
      params,
      sql
        .query()
        .select((squad) => squad.select('COUNT(*) > 0').from(Squad, 's').where('s.id = :squadId'), 'squad_found')
        .addSelect((opponent) => opponent.select('COUNT(*) > 0').from(Squad, 'o').where('o.id = :opponentId'), 'opponent_found')
        .addSelect('CAST(COUNT(*) AS integer)', 'matches_played')
        .addSelect('CAST(COUNT(*) FILTER (WHERE t.outcome = 1) AS integer)', 'wins')
        .addSelect('CAST(COUNT(*) FILTER (WHERE t.outcome = -1) AS integer)', 'losses')
        .addSelect('CAST(COUNT(*) FILTER (WHERE t.outcome = 0) AS integer)', 'draws')
        .addSelect('CAST(COALESCE(SUM(t.points_for), 0) AS integer)', 'points_for')
        .addSelect('CAST(COALESCE(SUM(t.points_against), 0) AS integer)', 'points_against')
        .from(
          (results) =>
            headToHeadFilter(results.subQuery().from(Match, 'm'))
              .select(OUTCOME, 'outcome')
              .addSelect(POINTS_FOR, 'points_for')
              .addSelect(POINTS_AGAINST, 'points_against'),
          't',
        ),
    );
    this.headToHeadPage = paged(
      compileQuery(
        'head_to_head_matches',
        params,
        headToHeadFilter(sql.select(Match, 'm'))
          .select('m.id', 'id')
          .addSelect('m.playedAt', 'played_at')
          .addSelect('m.fieldId', 'field_id')
          .addSelect('m.eventId', 'event_id')
          .addSelect('m.homeSquadId', 'home_squad_id')
          .addSelect('m.awaySquadId', 'away_squad_id')
          .addSelect('m.homeScore', 'home_score')
          .addSelect('m.awayScore', 'away_score')
          .addSelect(RESULT, 'result')
          .orderBy('m.playedAt', 'DESC')
          .addOrderBy('m.id', 'DESC'),
      ),
    );
  }

  list(filter: SquadListFilter, limit: number, offset: number): Promise<RowPage<SquadSummary>> {
    return this.gateway.page(this.squadList(filter), filter, limit, offset);
  }

  /** Undefined when the squad does not exist; zeros for a squad without final matches in the range. */
  async record(squadId: number, since: Date | null, until: Date | null): Promise<SquadRecord | undefined> {
    const rows = await this.gateway.rows<SquadRecord, 'squadId' | 'since' | 'until'>(this.recordQuery, { squadId, since, until });
    return rows[0];
  }

  /** The pair's record from squadId's side (which also counts the matches) and one page of their matches. */
  async headToHead(
    squadId: number,
    opponentId: number,
    limit: number,
    offset: number,
  ): Promise<{ record: HeadToHeadRecordRow; rows: HeadToHeadMatchRow[] }> {
    const [records, rows] = await Promise.all([
      this.gateway.rows<HeadToHeadRecordRow, HeadToHeadParam>(this.headToHeadRecord, { squadId, opponentId }),
      this.gateway.rows<HeadToHeadMatchRow, HeadToHeadParam | 'limit' | 'offset'>(this.headToHeadPage, { squadId, opponentId, limit, offset }),
    ]);
    const record = records[0];
    if (record === undefined) {
      throw new Error('head_to_head_record returned no row');
    }
    return { record, rows };
  }
}

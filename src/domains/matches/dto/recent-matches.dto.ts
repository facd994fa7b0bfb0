import { DateInputField, DateTimeField, EnumField, IdField, IntField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { MATCH_STATUSES, type MatchStatus } from '../entities/match.entity';

export class ListRecentMatchesInput extends PageInput {
  @IdField({ description: 'Only matches this squad played, home or away', optional: true, example: 4 })
  squad_id?: number;

  @IdField({ description: 'Only matches played on this field', optional: true, example: 3 })
  field_id?: number;

  @DateInputField({ description: 'From (inclusive): ISO 8601 date or date-time', optional: true, example: '2026-01-01' })
  since?: Date;

  @DateInputField({ description: 'Until (exclusive): ISO 8601 date or date-time', optional: true, example: '2026-12-31T23:59:59Z' })
  until?: Date;
}

/** A match without its stat lines. */
export class MatchSummary {
  @IdField({ description: "The match's id", example: 423 })
  id!: number;

  @DateTimeField({ description: 'When the match was played', example: '2026-10-03T14:00:00.000Z' })
  played_at!: string;

  @IdField({ description: 'Field the match was played on', example: 3 })
  field_id!: number;

  @IdField({ description: 'Event the match belonged to, if any', nullable: true, example: 55 })
  event_id!: number | null;

  @TextField({ description: 'Game format', maxLength: 64, example: '5-man race to 2' })
  format!: string;

  @IdField({ description: 'Home squad', example: 4 })
  home_squad_id!: number;

  @IdField({ description: 'Away squad', example: 9 })
  away_squad_id!: number;

  @IntField({ description: 'Home score (null while scheduled)', min: 0, nullable: true, example: 2 })
  home_score!: number | null;

  @IntField({ description: 'Away score (null while scheduled)', min: 0, nullable: true, example: 1 })
  away_score!: number | null;

  @EnumField(MATCH_STATUSES, { description: 'Match status', example: 'final' })
  status!: MatchStatus;
}

export const RecentMatchPage = PageOf(() => MatchSummary, 'RecentMatchPage');

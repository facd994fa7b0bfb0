import { DateTimeField, EnumField, IdField, IntField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { MATCH_RESULTS, MATCH_STATUSES, type MatchResult, type MatchStatus } from '../../matches/entities/match.entity';

export class ListPlayerMatchesInput extends PageInput {
  @IdField({ description: "The player's id", example: 42 })
  player_id!: number;
}

export class PlayerMatchLine {
  @IdField({ description: "The match's id", example: 1001 })
  id!: number;

  @DateTimeField({ description: 'When the match was played', example: '2026-10-03T14:00:00.000Z' })
  played_at!: string;

  @EnumField(MATCH_STATUSES, { description: 'Match status', example: 'final' })
  status!: MatchStatus;

  @TextField({ description: 'Game format', maxLength: 64, example: 'xball' })
  format!: string;

  @IdField({ description: 'Field the match was played on', example: 3 })
  field_id!: number;

  @IdField({ description: 'Event the match belonged to, if any', nullable: true, example: 55 })
  event_id!: number | null;

  @IdField({ description: 'Home squad', example: 4 })
  home_squad_id!: number;

  @IdField({ description: 'Away squad', example: 9 })
  away_squad_id!: number;

  @IntField({ description: 'Home score', min: 0, nullable: true, example: 5 })
  home_score!: number | null;

  @IntField({ description: 'Away score', min: 0, nullable: true, example: 3 })
  away_score!: number | null;

  @IdField({ description: 'The squad the player played for', example: 4 })
  squad_id!: number;

  @EnumField(MATCH_RESULTS, { description: "The player's result (final matches only)", nullable: true, example: 'win' })
  result!: MatchResult | null;

  @IntField({ description: 'Opponents the player eliminated', min: 0, example: 3 })
  eliminations!: number;

  @IntField({ description: 'Times the player was eliminated', min: 0, example: 1 })
  times_eliminated!: number;

  @IntField({ description: 'Flags the player captured', min: 0, example: 0 })
  flag_captures!: number;
}

export const PlayerMatchPage = PageOf(() => PlayerMatchLine, 'PlayerMatchPage');

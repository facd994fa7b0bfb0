import { IntersectionType } from '@nestjs/swagger';

import { DateTimeField, EnumField, IdField, IntField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { MATCH_RESULTS, type MatchResult } from '../../matches/entities/match.entity';
import { SquadTally } from './squad-record.dto';

export class GetHeadToHeadInput extends PageInput {
  @IdField({ description: 'The squad whose side the record is told from', example: 4 })
  squad_id!: number;

  @IdField({ description: 'The opposing squad (must differ from squad_id)', example: 9 })
  opponent_squad_id!: number;
}

export class HeadToHeadMatch {
  @IdField({ description: "The match's id", example: 1001 })
  id!: number;

  @DateTimeField({ description: 'When the match was played', example: '2026-10-03T14:00:00.000Z' })
  played_at!: string;

  @IdField({ description: 'Field the match was played on', example: 3 })
  field_id!: number;

  @IdField({ description: 'Event the match belonged to, if any', nullable: true, example: 55 })
  event_id!: number | null;

  @IdField({ description: 'Home squad', example: 4 })
  home_squad_id!: number;

  @IdField({ description: 'Away squad', example: 9 })
  away_squad_id!: number;

  @IntField({ description: 'Home score', min: 0, example: 5 })
  home_score!: number;

  @IntField({ description: 'Away score', min: 0, example: 3 })
  away_score!: number;

  @EnumField(MATCH_RESULTS, { description: "The result from squad_id's side", example: 'win' })
  result!: MatchResult;
}

const HeadToHeadMatchPage = PageOf(() => HeadToHeadMatch, 'HeadToHeadMatchPage');

/** The record from squad_id's side over all of the pair's final matches, plus one page of those matches. */
export class HeadToHead extends IntersectionType(SquadTally, HeadToHeadMatchPage) {
  @IdField({ description: 'The squad whose side the record is told from', example: 4 })
  squad_id!: number;

  @IdField({ description: 'The opposing squad', example: 9 })
  opponent_squad_id!: number;
}

import { IntersectionType, PickType } from '@nestjs/swagger';

import { EnumField, IdField, IntField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { MatchSummary } from '../../matches/dto/recent-matches.dto';
import { MATCH_RESULTS, type MatchResult } from '../../matches/entities/match.entity';
import { SquadTally } from './squad-record.dto';

export class GetHeadToHeadInput extends PageInput {
  @IdField({ description: 'The squad whose side the record is told from', example: 4 })
  squad_id!: number;

  @IdField({ description: 'The opposing squad (must differ from squad_id)', example: 36 })
  opponent_squad_id!: number;
}

/** A final match of the pair: scores are always set, and the result is told from squad_id's side. */
export class HeadToHeadMatch extends PickType(MatchSummary, ['id', 'played_at', 'field_id', 'event_id', 'home_squad_id', 'away_squad_id']) {
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

  @IdField({ description: 'The opposing squad', example: 36 })
  opponent_squad_id!: number;
}

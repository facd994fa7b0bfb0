import { EnumField, IdField, IntField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { MatchSummary } from '../../matches/dto/recent-matches.dto';
import { MATCH_RESULTS, type MatchResult } from '../../matches/entities/match.entity';

export class ListPlayerMatchesInput extends PageInput {
  @IdField({ example: 42 })
  player_id!: number;
}

/** A match the player has a stat line in: the match itself, then the player's side, result and line. */
export class PlayerMatchLine extends MatchSummary {
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

import { IdField, IntField, NestedField } from '../../../common/dto/fields';
import { MatchSummary } from './recent-matches.dto';

export class GetMatchInput {
  @IdField({ example: 423 })
  match_id!: number;
}

export class MatchStatLine {
  @IdField({ description: "The player's id", example: 42 })
  player_id!: number;

  @IdField({ description: 'The squad the player played for', example: 4 })
  squad_id!: number;

  @IntField({ description: 'Opponents the player eliminated', min: 0, example: 3 })
  eliminations!: number;

  @IntField({ description: 'Times the player was eliminated', min: 0, example: 1 })
  times_eliminated!: number;

  @IntField({ description: 'Flags the player captured', min: 0, example: 0 })
  flag_captures!: number;
}

/** The summary fields plus every player's stat line. */
export class MatchDetail extends MatchSummary {
  @NestedField(() => MatchStatLine, {
    description: "Per-player stat lines, the home squad's first, then the away squad's, each by player id (empty unless final)",
    array: true,
  })
  player_stats!: MatchStatLine[];
}

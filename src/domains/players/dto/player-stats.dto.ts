import { DateInputField, IdField, IntField, NumberField } from '../../../common/dto/fields';

export class GetPlayerStatsInput {
  @IdField({ example: 42 })
  player_id!: number;

  @DateInputField({ description: 'From (inclusive): ISO 8601 date or date-time', optional: true, example: '2026-01-01' })
  since?: Date;

  @DateInputField({ description: 'Until (exclusive): ISO 8601 date or date-time', optional: true, example: '2026-12-31T23:59:59Z' })
  until?: Date;
}

export class PlayerStats {
  @IdField({ description: "The player's id", example: 42 })
  player_id!: number;

  @IntField({ description: 'Final matches the player has a stat line in', min: 0, example: 37 })
  matches_played!: number;

  @IntField({ description: "Matches the player's side won", min: 0, example: 21 })
  wins!: number;

  @IntField({ description: "Matches the player's side lost", min: 0, example: 13 })
  losses!: number;

  @IntField({ description: 'Drawn matches', min: 0, example: 3 })
  draws!: number;

  @IntField({ description: 'Opponents eliminated', min: 0, example: 88 })
  eliminations!: number;

  @IntField({ description: 'Times eliminated', min: 0, example: 51 })
  times_eliminated!: number;

  @NumberField({ description: 'eliminations ÷ times_eliminated (÷ 1 when never eliminated), 3 decimals', example: 1.725 })
  elimination_ratio!: number;

  @IntField({ description: 'Flags captured', min: 0, example: 9 })
  flag_captures!: number;

  @NumberField({ description: 'wins ÷ matches_played, 0–1, 3 decimals (0 without matches)', example: 0.568 })
  win_rate!: number;
}

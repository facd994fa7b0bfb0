import { DateInputField, IdField, IntField } from '../../../common/dto/fields';

export class GetSquadRecordInput {
  @IdField({ example: 4 })
  squad_id!: number;

  @DateInputField({ description: 'From (inclusive): ISO 8601 date or date-time', optional: true, example: '2026-01-01' })
  since?: Date;

  @DateInputField({ description: 'Until (exclusive): ISO 8601 date or date-time', optional: true, example: '2026-12-31T23:59:59Z' })
  until?: Date;
}

/** Wins, losses and points from one squad's side; shared by the record and head-to-head outputs. */
export class SquadTally {
  @IntField({ description: 'Matches the squad won', min: 0, example: 14 })
  wins!: number;

  @IntField({ description: 'Matches the squad lost', min: 0, example: 9 })
  losses!: number;

  @IntField({ description: 'Drawn matches', min: 0, example: 2 })
  draws!: number;

  @IntField({ description: 'Points the squad scored', min: 0, example: 61 })
  points_for!: number;

  @IntField({ description: 'Points scored against the squad', min: 0, example: 48 })
  points_against!: number;
}

export class SquadRecord extends SquadTally {
  @IdField({ description: "The squad's id", example: 4 })
  squad_id!: number;

  @IntField({ description: 'Final matches the squad played, home or away', min: 0, example: 25 })
  matches_played!: number;

  @IntField({
    description: 'Current streak: +n = the last n results were wins, -n = the last n were losses, 0 = no matches or the latest was a draw',
    example: 3,
  })
  streak!: number;
}

import { DateTimeField, IdField, TextField } from '../../../common/dto/fields';
import { SquadIdentity } from './squad-summary.dto';

export class GetSquadInput {
  @IdField({ example: 4 })
  squad_id!: number;
}

export class SquadProfile extends SquadIdentity {
  @IdField({ description: 'Id of the home field, if any', nullable: true, example: 7 })
  home_field_id!: number | null;

  @IdField({ description: "The captain's player id, if any", nullable: true, example: 42 })
  captain_player_id!: number | null;

  @TextField({ description: 'Founding date, YYYY-MM-DD', maxLength: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, format: 'date', example: '2019-04-12' })
  founded_on!: string;

  @TextField({ description: "The squad's own description, if any", maxLength: 4000, nullable: true, example: 'Speedball crew, Sunday practices.' })
  description!: string | null;

  @DateTimeField({ description: 'When the squad was created in Squad', example: '2025-03-14T09:30:00.000Z' })
  created_at!: string;
}

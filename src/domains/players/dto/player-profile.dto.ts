import { DateTimeField, EnumField, IdField, IntField, TextField } from '../../../common/dto/fields';
import { PLAYER_POSITIONS, type PlayerPosition } from '../entities/player.entity';

export class GetPlayerInput {
  @IdField({ description: "The player's id", example: 42 })
  player_id!: number;
}

export class PlayerProfile {
  @IdField({ description: "The player's id", example: 42 })
  id!: number;

  @TextField({ description: 'Unique handle', maxLength: 64, example: 'SnapShot' })
  callsign!: string;

  @TextField({ description: 'Name shown in the app', maxLength: 128, example: 'Dana Reyes' })
  display_name!: string;

  @TextField({
    description: 'Email address (personal data: only returned to the admin role)',
    maxLength: 320,
    optional: true,
    example: 'snapshot@example.test',
  })
  email?: string;

  @TextField({ description: 'Home region', maxLength: 64, example: 'north-west' })
  region!: string;

  @IdField({ description: 'Id of the home field, if any', nullable: true, example: 7 })
  home_field_id!: number | null;

  @EnumField(PLAYER_POSITIONS, { description: 'Preferred position', example: 'mid' })
  position!: PlayerPosition;

  @IntField({ description: 'Skill rating, 0–3000', min: 0, max: 3000, example: 1540 })
  skill_rating!: number;

  @DateTimeField({ description: 'When the player joined Squad', example: '2025-03-14T09:30:00.000Z' })
  created_at!: string;
}

import { DateTimeField, IdField, TextField } from '../../../common/dto/fields';
import { PlayerSummary } from './search-players.dto';

export class GetPlayerInput {
  @IdField({ example: 42 })
  player_id!: number;
}

/** The summary fields plus the profile's own; `email` only for the admin role. */
export class PlayerProfile extends PlayerSummary {
  @TextField({
    description: 'Email address (personal data: only returned to the admin role)',
    maxLength: 320,
    optional: true,
    example: 'nightotter@example.test',
  })
  email?: string;

  @IdField({ description: 'Id of the home field, if any', nullable: true, example: 7 })
  home_field_id!: number | null;

  @DateTimeField({ description: 'When the player joined Squad', example: '2025-03-14T09:30:00.000Z' })
  created_at!: string;
}

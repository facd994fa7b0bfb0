import { EnumField, IdField, IntField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { PLAYER_POSITIONS, type PlayerPosition } from '../entities/player.entity';

export class SearchPlayersInput extends PageInput {
  @TextField({
    description: 'Part of the callsign or display name, any case',
    minLength: 1,
    maxLength: 100,
    optional: true,
    example: 'otter',
  })
  query?: string;

  @TextField({ description: 'Region, any case (list_regions names them)', minLength: 1, maxLength: 64, optional: true, example: 'Midwest' })
  region?: string;

  @EnumField(PLAYER_POSITIONS, { description: 'Only players with this preferred position', optional: true, example: 'back' })
  position?: PlayerPosition;
}

export class PlayerSummary {
  @IdField({ description: "The player's id", example: 42 })
  id!: number;

  @TextField({ description: 'Unique handle', maxLength: 64, example: 'NightOtter' })
  callsign!: string;

  @TextField({ description: 'Name shown in the app', maxLength: 128, example: 'Robin Carter' })
  display_name!: string;

  @TextField({ description: 'Home region', maxLength: 64, example: 'Midwest' })
  region!: string;

  @EnumField(PLAYER_POSITIONS, { description: 'Preferred position', example: 'mid' })
  position!: PlayerPosition;

  @IntField({ description: 'Skill rating, 0–3000', min: 0, max: 3000, example: 1540 })
  skill_rating!: number;
}

export const PlayerSearchPage = PageOf(() => PlayerSummary, 'PlayerSearchPage');

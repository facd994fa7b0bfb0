import { IntField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';

export class ListRegionsInput extends PageInput {}

export class RegionSummary {
  @TextField({ description: 'The region, exactly as the other tools accept it (they also match it case-insensitively)', maxLength: 64, example: 'Pacific Northwest' })
  region!: string;

  @IntField({ description: 'Fields in the region', min: 0, example: 4 })
  field_count!: number;

  @IntField({ description: 'Squads whose home region it is', min: 0, example: 4 })
  squad_count!: number;

  @IntField({ description: 'Players whose home region it is', min: 0, example: 65 })
  player_count!: number;
}

export const RegionPage = PageOf(() => RegionSummary, 'RegionPage');

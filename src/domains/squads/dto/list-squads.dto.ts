import { BooleanField, IntField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { SquadIdentity } from './squad-summary.dto';

export class ListSquadsInput extends PageInput {
  @TextField({ description: "Part of the squad's name, any case", minLength: 1, maxLength: 100, optional: true, example: 'syndicate' })
  query?: string;

  @TextField({ description: 'Region, any case (list_regions names them)', minLength: 1, maxLength: 64, optional: true, example: 'Pacific Northwest' })
  region?: string;

  @BooleanField({ description: 'true: recruiting only; false: not recruiting only', optional: true, example: true })
  recruiting?: boolean;
}

export class SquadSummary extends SquadIdentity {
  @IntField({ description: 'Current members (memberships without left_at)', min: 0, example: 12 })
  member_count!: number;
}

export const SquadSummaryPage = PageOf(() => SquadSummary, 'SquadSummaryPage');

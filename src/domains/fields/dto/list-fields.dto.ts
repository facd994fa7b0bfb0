import { EnumField, IdField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { FIELD_KINDS, type FieldKind } from '../../events/entities/field.entity';

export class ListFieldsInput extends PageInput {
  @TextField({ description: 'Region, any case (list_regions names them)', minLength: 1, maxLength: 64, optional: true, example: 'Pacific Northwest' })
  region?: string;

  @EnumField(FIELD_KINDS, { description: 'Only fields of this kind', optional: true, example: 'woodsball' })
  kind?: FieldKind;
}

export class FieldSummary {
  @IdField({ description: "The field's id (the field_id of other tools)", example: 1 })
  id!: number;

  @TextField({ description: "The field's name", maxLength: 200, example: 'Splat Valley Tactical Park' })
  name!: string;

  @TextField({ description: 'City the field is in or near', maxLength: 100, example: 'Seattle' })
  city!: string;

  @TextField({ description: "The field's region", maxLength: 64, example: 'Pacific Northwest' })
  region!: string;

  @EnumField(FIELD_KINDS, { description: 'What is played there', example: 'woodsball' })
  kind!: FieldKind;
}

export const FieldPage = PageOf(() => FieldSummary, 'FieldPage');

export class GetFieldInput {
  @IdField({ example: 1 })
  field_id!: number;
}

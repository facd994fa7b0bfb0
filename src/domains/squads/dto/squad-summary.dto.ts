import { BooleanField, IdField, TextField } from '../../../common/dto/fields';

/** The fields every squad output shares. */
export class SquadIdentity {
  @IdField({ description: "The squad's id", example: 4 })
  id!: number;

  @TextField({ description: "The squad's name", maxLength: 128, example: 'Granite Wolves' })
  name!: string;

  @TextField({ description: 'Short tag shown next to callsigns, 2–5 characters', minLength: 2, maxLength: 5, example: 'GW' })
  tag!: string;

  @TextField({ description: 'Home region', maxLength: 64, example: 'Mountain West' })
  region!: string;

  @BooleanField({ description: 'Whether the squad is looking for new players', example: true })
  is_recruiting!: boolean;
}

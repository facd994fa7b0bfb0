import { ApiProperty } from '@nestjs/swagger';

import { EnumField, IntField, NestedField, TextField } from '../dto/fields';
import { ErrorCode, type ErrorStatus } from './error-code';

const STATUSES: readonly ErrorStatus[] = ['error', 'unauthorized', 'forbidden', 'not_found', 'rate_limited', 'unavailable', 'retry'];

export class FieldProblemDto {
  @TextField({ description: 'The input field at fault', maxLength: 200, example: 'player_id' })
  field!: string;

  @TextField({ description: 'What is wrong with it', maxLength: 500, example: 'player_id must not be less than 1' })
  message!: string;
}

/** The body of every failure, on every surface (SPEC §5). */
export class ErrorBodyDto {
  @TextField({ description: 'A human-readable message, safe to show', maxLength: 2000, example: 'Player 42 not found' })
  error!: string;

  @EnumField(STATUSES, { description: 'Coarse class of the failure, fixed per code: what to do next (error: not by resending; retry: try again; unavailable: later; rate_limited: after retry_after_seconds)', example: 'not_found' })
  status!: ErrorStatus;

  @EnumField(Object.values(ErrorCode), { description: 'Stable machine-readable code', example: ErrorCode.NotFound })
  code!: ErrorCode;

  @TextField({ description: 'The request id; the server log carries the details under it', maxLength: 128, example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' })
  request_id!: string;

  @NestedField(() => FieldProblemDto, { description: 'Per-field problems of invalid input', array: true })
  details!: FieldProblemDto[];

  @ApiProperty({
    description: 'What to try instead',
    type: 'string',
    isArray: true,
    example: ["Use search_players to find a player's id"],
  })
  suggestions!: string[];

  @IntField({ description: 'Seconds to wait before retrying (rate limits only)', min: 0, optional: true, example: 30 })
  retry_after_seconds?: number;
}

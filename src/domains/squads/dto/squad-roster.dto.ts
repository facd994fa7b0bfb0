import { BooleanField, DateTimeField, EnumField, IdField, NestedField, TextField } from '../../../common/dto/fields';
import { SQUAD_ROLES, type SquadRole } from '../entities/squad-member.entity';

export class GetSquadRosterInput {
  @IdField({ example: 4 })
  squad_id!: number;

  @BooleanField({ description: 'Also list former members', optional: true, default: false, example: false })
  include_former: boolean = false;
}

export class RosterMember {
  @IdField({ description: "The member's player id", example: 42 })
  id!: number;

  @TextField({ description: "The player's unique handle", maxLength: 64, example: 'NightOtter' })
  callsign!: string;

  @TextField({ description: "The player's name shown in the app", maxLength: 128, example: 'Robin Carter' })
  display_name!: string;

  @EnumField(SQUAD_ROLES, { description: 'Role in the squad', example: 'captain' })
  role!: SquadRole;

  @DateTimeField({ description: 'When the player joined the squad', example: '2024-02-01T18:00:00.000Z' })
  joined_at!: string;

  @DateTimeField({ description: 'When the player left the squad; null while current', nullable: true, example: '2025-06-30T12:00:00.000Z' })
  left_at!: string | null;

  @BooleanField({ description: 'Whether this membership is current (left_at is null)', example: true })
  current!: boolean;
}

export class SquadRoster {
  @IdField({ description: "The squad's id", example: 4 })
  squad_id!: number;

  @NestedField(() => RosterMember, {
    description: 'Members ordered by role (captain, co_captain, member, recruit), then joined_at, then player id',
    array: true,
  })
  members!: RosterMember[];
}

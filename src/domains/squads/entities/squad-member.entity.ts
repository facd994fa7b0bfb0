import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SQUAD_ROLES = ['captain', 'co_captain', 'member', 'recruit'] as const;
export type SquadRole = (typeof SQUAD_ROLES)[number];

@Entity('squad_members')
export class SquadMember {
  @PrimaryColumn({ name: 'squad_id', type: 'integer' })
  squadId!: number;

  @PrimaryColumn({ name: 'player_id', type: 'integer' })
  playerId!: number;

  @Column({ type: 'text' })
  role!: SquadRole;

  @PrimaryColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt!: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PLAYER_POSITIONS = ['front', 'mid', 'back', 'flex'] as const;
export type PlayerPosition = (typeof PLAYER_POSITIONS)[number];

@Entity('players')
export class Player {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  callsign!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ name: 'home_field_id', type: 'integer', nullable: true })
  homeFieldId!: number | null;

  @Column({ type: 'text' })
  position!: PlayerPosition;

  @Column({ name: 'skill_rating', type: 'integer' })
  skillRating!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

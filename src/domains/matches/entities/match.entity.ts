import { Column, Entity, PrimaryColumn } from 'typeorm';

export const MATCH_STATUSES = ['scheduled', 'final', 'forfeit'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];
/** A match's result from one side's point of view. */
export const MATCH_RESULTS = ['win', 'loss', 'draw'] as const;
export type MatchResult = (typeof MATCH_RESULTS)[number];

@Entity('matches')
export class Match {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'event_id', type: 'integer', nullable: true })
  eventId!: number | null;

  @Column({ name: 'field_id', type: 'integer' })
  fieldId!: number;

  @Column({ name: 'played_at', type: 'timestamptz' })
  playedAt!: Date;

  @Column({ type: 'text' })
  format!: string;

  @Column({ name: 'home_squad_id', type: 'integer' })
  homeSquadId!: number;

  @Column({ name: 'away_squad_id', type: 'integer' })
  awaySquadId!: number;

  @Column({ name: 'home_score', type: 'integer', nullable: true })
  homeScore!: number | null;

  @Column({ name: 'away_score', type: 'integer', nullable: true })
  awayScore!: number | null;

  @Column({ type: 'text' })
  status!: MatchStatus;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export const EVENT_KINDS = ['practice', 'scrimmage', 'tournament', 'open_play', 'scenario_game'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_STATUSES = ['scheduled', 'cancelled', 'completed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

@Entity('events')
export class SquadEvent {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  kind!: EventKind;

  @Column({ name: 'organizer_squad_id', type: 'integer', nullable: true })
  organizerSquadId!: number | null;

  @Column({ name: 'field_id', type: 'integer' })
  fieldId!: number;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'integer' })
  capacity!: number;

  @Column({ type: 'text' })
  status!: EventStatus;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;
}

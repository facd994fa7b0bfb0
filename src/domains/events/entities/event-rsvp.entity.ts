import { Column, Entity, PrimaryColumn } from 'typeorm';

export const RSVP_STATUSES = ['going', 'maybe', 'declined'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

@Entity('event_rsvps')
export class EventRsvp {
  @PrimaryColumn({ name: 'event_id', type: 'integer' })
  eventId!: number;

  @PrimaryColumn({ name: 'player_id', type: 'integer' })
  playerId!: number;

  @Column({ type: 'text' })
  status!: RsvpStatus;

  @Column({ name: 'responded_at', type: 'timestamptz' })
  respondedAt!: Date;
}

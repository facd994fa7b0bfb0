import { DateTimeField, EnumField, IdField, IntField, TextField } from '../../../common/dto/fields';
import { EVENT_KINDS, EVENT_STATUSES, type EventKind, type EventStatus } from '../entities/event.entity';

export class GetEventInput {
  @IdField({ example: 118 })
  event_id!: number;
}

export class EventDetail {
  @IdField({ description: "The event's id", example: 118 })
  id!: number;

  @TextField({ description: 'Title shown in the app', maxLength: 200, example: 'Sunday Speedball Practice' })
  title!: string;

  @EnumField(EVENT_KINDS, { description: 'Kind of event', example: 'practice' })
  kind!: EventKind;

  @IdField({ description: 'Squad that organises the event (null when the field organises it)', nullable: true, example: 12 })
  organizer_squad_id!: number | null;

  @IdField({ description: 'Field where the event takes place', example: 4 })
  field_id!: number;

  @DateTimeField({ description: 'When the event starts', example: '2026-12-06T17:00:00.000Z' })
  starts_at!: string;

  @DateTimeField({ description: 'When the event ends', example: '2026-12-06T20:00:00.000Z' })
  ends_at!: string;

  @IntField({ description: 'Maximum number of players', min: 1, example: 30 })
  capacity!: number;

  @EnumField(EVENT_STATUSES, { description: 'Event status', example: 'scheduled' })
  status!: EventStatus;

  @TextField({ description: "Organiser's notes, if any", maxLength: 4000, nullable: true, example: 'Bring your own pods.' })
  notes!: string | null;
}

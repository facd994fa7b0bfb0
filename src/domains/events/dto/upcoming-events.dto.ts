import { DateInputField, DateTimeField, EnumField, IdField, IntField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { EVENT_KINDS, EVENT_STATUSES, type EventKind, type EventStatus } from '../entities/event.entity';

/** The time window shared by the upcoming-event lists. */
export class EventWindowInput extends PageInput {
  @DateInputField({ description: 'Starting from (default: now): ISO 8601 date or date-time', optional: true, example: '2026-12-01' })
  from?: Date;

  @DateInputField({ description: 'Starting before: ISO 8601 date or date-time', optional: true, example: '2027-01-01T00:00:00Z' })
  to?: Date;
}

export class ListUpcomingEventsInput extends EventWindowInput {
  @IdField({ description: 'Only events organised by this squad', optional: true, example: 12 })
  squad_id?: number;

  @IdField({ description: 'Only events at this field', optional: true, example: 4 })
  field_id?: number;

  @TextField({ description: 'Region of the field, any case (list_regions names them)', minLength: 1, maxLength: 64, optional: true, example: 'Pacific Northwest' })
  region?: string;

  @EnumField(EVENT_KINDS, { description: 'Only events of this kind', optional: true, example: 'scrimmage' })
  kind?: EventKind;
}

export class EventSummary {
  @IdField({ description: "The event's id", example: 118 })
  id!: number;

  @TextField({ description: 'Title shown in the app', maxLength: 200, example: 'Sunday Speedball Practice' })
  title!: string;

  @EnumField(EVENT_KINDS, { description: 'Kind of event', example: 'practice' })
  kind!: EventKind;

  @DateTimeField({ description: 'When the event starts', example: '2026-12-06T17:00:00.000Z' })
  starts_at!: string;

  @DateTimeField({ description: 'When the event ends', example: '2026-12-06T20:00:00.000Z' })
  ends_at!: string;

  @EnumField(EVENT_STATUSES, { description: 'Event status (always scheduled in these lists)', example: 'scheduled' })
  status!: EventStatus;

  @IntField({ description: 'Maximum number of players', min: 1, example: 30 })
  capacity!: number;

  @IdField({ description: 'Squad that organises the event (null when the field organises it)', nullable: true, example: 12 })
  organizer_squad_id!: number | null;

  @IdField({ description: 'Field where the event takes place', example: 4 })
  field_id!: number;

  @TextField({ description: "The field's name", maxLength: 200, example: 'Cedar Ridge Paintball' })
  field_name!: string;

  @TextField({ description: "The field's region", maxLength: 64, example: 'Pacific Northwest' })
  region!: string;

  @IntField({ description: 'Players who answered "going"', min: 0, example: 18 })
  going_count!: number;
}

export const EventSummaryPage = PageOf(() => EventSummary, 'EventSummaryPage');

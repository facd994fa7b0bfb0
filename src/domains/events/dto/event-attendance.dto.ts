import { DateTimeField, EnumField, IdField, IntField, NestedField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';
import { RSVP_STATUSES, type RsvpStatus } from '../entities/event-rsvp.entity';

export class GetEventAttendanceInput extends PageInput {
  @IdField({ example: 118 })
  event_id!: number;

  @EnumField(RSVP_STATUSES, { description: 'Only attendees with this answer (counts cover all)', optional: true, example: 'going' })
  status?: RsvpStatus;
}

export class Attendee {
  @IdField({ description: "The player's id", example: 42 })
  id!: number;

  @TextField({ description: "The player's unique handle", maxLength: 64, example: 'NightOtter' })
  callsign!: string;

  @TextField({ description: "The player's name shown in the app", maxLength: 128, example: 'Robin Carter' })
  display_name!: string;

  @EnumField(RSVP_STATUSES, { description: "The player's answer", example: 'going' })
  status!: RsvpStatus;

  @DateTimeField({ description: 'When the player answered', example: '2026-11-20T08:15:00.000Z' })
  responded_at!: string;
}

export class AttendanceCounts {
  @IntField({ description: 'Players who answered "going"', min: 0, example: 18 })
  going!: number;

  @IntField({ description: 'Players who answered "maybe"', min: 0, example: 5 })
  maybe!: number;

  @IntField({ description: 'Players who answered "declined"', min: 0, example: 3 })
  declined!: number;
}

/** A page of attendees plus the event's capacity and its answer counts. */
export class EventAttendance extends PageOf(() => Attendee, 'AttendeePage') {
  @IdField({ description: "The event's id", example: 118 })
  event_id!: number;

  @IntField({ description: 'Maximum number of players', min: 1, example: 30 })
  capacity!: number;

  @NestedField(() => AttendanceCounts, { description: "Answers by status, over all of the event's RSVPs" })
  counts!: AttendanceCounts;
}

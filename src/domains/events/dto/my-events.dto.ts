import { EnumField } from '../../../common/dto/fields';
import { PageOf } from '../../../common/dto/pagination';
import { EventSummary, EventWindowInput } from './upcoming-events.dto';

export const MY_RSVP_STATUSES = ['going', 'maybe'] as const;
export type MyRsvpStatus = (typeof MY_RSVP_STATUSES)[number];

export class ListMyEventsInput extends EventWindowInput {}

export class MyEventSummary extends EventSummary {
  @EnumField(MY_RSVP_STATUSES, { description: "The calling user's answer to the event", example: 'going' })
  my_status!: MyRsvpStatus;
}

export const MyEventPage = PageOf(() => MyEventSummary, 'MyEventPage');

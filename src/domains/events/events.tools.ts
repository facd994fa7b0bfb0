import { Injectable } from '@nestjs/common';

import type { Page } from '../../common/dto/pagination';
import { McpTool, type ToolCallContext } from '../../mcp/catalog/mcp-tool.decorator';
import { EventDetail, GetEventInput } from './dto/event.dto';
import { EventAttendance, GetEventAttendanceInput } from './dto/event-attendance.dto';
import { ListMyEventsInput, MyEventPage, type MyEventSummary } from './dto/my-events.dto';
import { type EventSummary, EventSummaryPage, ListUpcomingEventsInput } from './dto/upcoming-events.dto';
import { EventsService } from './events.service';

@Injectable()
export class EventsTools {
  constructor(private readonly events: EventsService) {}

  @McpTool({
    name: 'get_event',
    title: 'Get an event',
    description:
      'One event: title, kind, organising squad (null: the field), field, start, end, capacity, status, notes. Find' +
      ' ids with list_upcoming_events; who is coming: get_event_attendance. Example: {"event_id": 118}.',
    version: '1.0.0',
    cache: true,
    resource: {
      uri: 'squad://events/{event_id}',
      name: 'event',
      title: 'Event',
      description: 'One event, the same body as get_event; attach it to talk about that event.',
    },
    input: GetEventInput,
    output: EventDetail,
  })
  getEvent(input: GetEventInput): Promise<EventDetail> {
    return this.events.getEvent(input.event_id);
  }

  @McpTool({
    name: 'list_upcoming_events',
    title: 'List upcoming events',
    description:
      'Scheduled events from `from` (default: now), soonest first, by organising squad, field, region or kind; each' +
      ' with its field and "going" count. The user\'s own: list_my_events. Example: {"region": "Texas", "kind": ' +
      '"scrimmage", "limit": 5}.',
    version: '1.0.0',
    input: ListUpcomingEventsInput,
    output: EventSummaryPage,
  })
  listUpcomingEvents(input: ListUpcomingEventsInput): Promise<Page<EventSummary>> {
    return this.events.listUpcomingEvents(input);
  }

  @McpTool({
    name: 'get_event_attendance',
    title: "Get an event's attendance",
    description:
      "An event's RSVPs: capacity, counts of going, maybe and declined, and the attendees (optionally one answer), " +
      'going first. For "who is coming" or "is it full"; the event: get_event. Example: {"event_id": 118, "status":' +
      ' "going", "limit": 20}.',
    version: '1.0.0',
    input: GetEventAttendanceInput,
    output: EventAttendance,
  })
  getEventAttendance(input: GetEventAttendanceInput): Promise<EventAttendance> {
    return this.events.getEventAttendance(input);
  }

  @McpTool({
    name: 'list_my_events',
    title: 'List my upcoming events',
    description:
      "The calling user's events answered going or maybe, from `from` (default: now), soonest first, with " +
      'my_status. The user comes from the token or X-User-ID (neither: invalid_input). All events: ' +
      'list_upcoming_events. Example: {"limit": 5}.',
    version: '1.0.0',
    input: ListMyEventsInput,
    output: MyEventPage,
  })
  listMyEvents(input: ListMyEventsInput, context: ToolCallContext): Promise<Page<MyEventSummary>> {
    return this.events.listMyEvents(input, context.userId);
  }
}

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
      "Returns one event: title, kind, organising squad (null when the field organises it), field, start and end " +
      'times, capacity, status (scheduled, cancelled or completed) and notes. Use it when you already know the event ' +
      'id; to find events use list_upcoming_events or list_my_events, and for who is coming use get_event_attendance. ' +
      'Example: {"event_id": 118}.',
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
      'Lists scheduled (not cancelled or completed) events starting at or after `from` (default: now) and before `to`, ' +
      "soonest first (starts_at, then id). Filters, all optional: the organising squad, the field, the field's region " +
      'and the event kind. Each item has the field name and region and how many players answered "going". Use it to ' +
      "find events and their ids; use list_my_events for the calling user's own events. " +
      'Example: {"region": "Texas", "kind": "scrimmage", "limit": 5}.',
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
      'Returns the RSVP picture of one event: its capacity, the counts of "going", "maybe" and "declined" answers ' +
      '(always over all answers), and a page of attendees (player id, callsign, display name, answer, answer time), ' +
      'optionally only those with one answer. Attendees are ordered going, maybe, declined, then by answer time, then ' +
      'player id. Use it for "who is coming" or "is it full"; use get_event for the event itself. ' +
      'Example: {"event_id": 118, "status": "going", "limit": 20}.',
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
      'Lists the scheduled events the calling end user answered "going" or "maybe" to, starting at or after `from` ' +
      '(default: now) and before `to`, soonest first (starts_at, then id), each with the user\'s answer as my_status. ' +
      'The user is the player id of the caller\'s token, or the one the app sends in the X-User-ID header; without either the call fails with invalid_input. ' +
      'Use it for "what am I playing next"; use list_upcoming_events for events in general. ' +
      'Example: {"limit": 5}.',
    version: '1.0.0',
    input: ListMyEventsInput,
    output: MyEventPage,
  })
  listMyEvents(input: ListMyEventsInput, context: ToolCallContext): Promise<Page<MyEventSummary>> {
    return this.events.listMyEvents(input, context.userId);
  }
}

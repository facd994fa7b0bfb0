import { Inject, Injectable } from '@nestjs/common';

import { CLOCK, type Clock } from '../../common/clock';
import { type Page, toPage } from '../../common/dto/pagination';
import { AppError } from '../../common/errors/app-error';
import { timeRange } from '../../common/util/time-range';
import type { EventDetail } from './dto/event.dto';
import type { EventAttendance, GetEventAttendanceInput } from './dto/event-attendance.dto';
import type { ListMyEventsInput, MyEventSummary } from './dto/my-events.dto';
import type { EventSummary, EventWindowInput, ListUpcomingEventsInput } from './dto/upcoming-events.dto';
import { EventsRepository, type EventSummaryRow, type EventWindow } from './events.repository';
import { EventsUpstream } from './events.upstream';

const FIND_EVENT_HINT = "Use list_upcoming_events to find an event's id";


const eventNotFound = (eventId: number): AppError => AppError.notFound(`Event ${eventId} not found`, FIND_EVENT_HINT);

/** The asked window; without `from`, it starts now. */
function eventWindow(input: EventWindowInput, now: number): EventWindow {
  const { since, until } = timeRange(input.from, input.to, ['from', 'to']);
  return { from: since ?? new Date(now), to: until };
}

type WithIsoTimes<T> = Omit<T, 'starts_at' | 'ends_at'> & { starts_at: string; ends_at: string };

function toSummary(row: EventSummaryRow): WithIsoTimes<EventSummaryRow> {
  return { ...row, starts_at: row.starts_at.toISOString(), ends_at: row.ends_at.toISOString() };
}

@Injectable()
export class EventsService {
  constructor(
    private readonly repository: EventsRepository,
    private readonly upstream: EventsUpstream,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async getEvent(eventId: number): Promise<EventDetail> {
    const event = await this.upstream.getEvent(eventId);
    if (event === undefined) {
      throw eventNotFound(eventId);
    }
    return {
      id: event.id,
      title: event.title,
      kind: event.kind,
      organizer_squad_id: event.organizer_squad_id,
      field_id: event.field_id,
      starts_at: new Date(event.starts_at).toISOString(),
      ends_at: new Date(event.ends_at).toISOString(),
      capacity: event.capacity,
      status: event.status,
      notes: event.notes,
    };
  }

  async listUpcomingEvents(input: ListUpcomingEventsInput): Promise<Page<EventSummary>> {
    const filter = {
      ...eventWindow(input, this.clock.now()),
      squadId: input.squad_id ?? null,
      fieldId: input.field_id ?? null,
      region: input.region ?? null,
      kind: input.kind ?? null,
    };
    const { rows, total } = await this.repository.upcoming(filter, input.limit, input.offset);
    return toPage(rows.map(toSummary), total, input);
  }

  async getEventAttendance(input: GetEventAttendanceInput): Promise<EventAttendance> {
    const result = await this.repository.attendance(input.event_id, input.status ?? null, input.limit, input.offset);
    if (result === undefined) {
      throw eventNotFound(input.event_id);
    }
    const { event_id, capacity, going, maybe, declined } = result.summary;
    const items = result.rows.map((row) => ({ ...row, responded_at: row.responded_at.toISOString() }));
    return { event_id, capacity, counts: { going, maybe, declined }, ...toPage(items, result.total, input) };
  }

  /** `userId` is the token's user or the X-User-ID header, as validated at the edge: digits, or undefined. */
  async listMyEvents(input: ListMyEventsInput, userId: string | undefined): Promise<Page<MyEventSummary>> {
    if (userId === undefined) {
      throw AppError.invalidInput(
        [{ field: 'X-User-ID', message: "X-User-ID must be the end user's player id (a positive integer)" }],
        "list_my_events needs the end user's player id: send it in the X-User-ID header as a positive integer",
      );
    }
    const { rows, total } = await this.repository.mine(userId, eventWindow(input, this.clock.now()), input.limit, input.offset);
    return toPage(
      rows.map(({ my_status, ...row }) => ({ ...toSummary(row), my_status })),
      total,
      input,
    );
  }
}

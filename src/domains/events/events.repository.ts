import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ReadOnlyGateway } from '../../database/read-only-gateway';
import { SqlBuilder } from '../../database/sql-builder';
import { compileList, compileQuery, type RowPage, type Variant, variants, whereBound } from '../../database/sql-query';
import { Player } from '../players/entities/player.entity';
import type { MyRsvpStatus } from './dto/my-events.dto';
import { type EventKind, type EventStatus, SquadEvent } from './entities/event.entity';
import { EventRsvp, type RsvpStatus } from './entities/event-rsvp.entity';
import { Field } from './entities/field.entity';

export interface EventWindow {
  readonly from: Date;
  readonly to: Date | null;
}

export interface UpcomingEventFilter extends EventWindow {
  readonly squadId: number | null;
  readonly fieldId: number | null;
  readonly region: string | null;
  readonly kind: EventKind | null;
}

export interface EventSummaryRow {
  id: number;
  title: string;
  kind: EventKind;
  starts_at: Date;
  ends_at: Date;
  status: EventStatus;
  capacity: number;
  organizer_squad_id: number | null;
  field_id: number;
  field_name: string;
  region: string;
  going_count: number;
}

export interface MyEventRow extends EventSummaryRow {
  my_status: MyRsvpStatus;
}

export interface AttendanceSummaryRow {
  event_id: number;
  capacity: number;
  going: number;
  maybe: number;
  declined: number;
}

export interface AttendeeRow {
  id: number;
  callsign: string;
  display_name: string;
  status: RsvpStatus;
  responded_at: Date;
}



const UPCOMING_PARAMS = ['from', 'to', 'squadId', 'fieldId', 'region', 'kind'] as const;
const MY_PARAMS = ['playerId', 'from', 'to'] as const;
const ATTENDEE_PARAMS = ['eventId', 'status'] as const;

function scheduledWindow<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return builder
    .andWhere("e.status = 'scheduled'")
    .andWhere('e.startsAt >= CAST(:from AS timestamptz)')
    .andWhere('(CAST(:to AS timestamptz) IS NULL OR e.startsAt < CAST(:to AS timestamptz))');
}

type UpcomingFilterParam = 'to' | 'squadId' | 'fieldId' | 'region' | 'kind';
const UPCOMING_OPTIONAL: readonly UpcomingFilterParam[] = ['to', 'squadId', 'fieldId', 'region', 'kind'];

/** Scheduled events from `from` on, with only the conditions whose filter this variant binds. */
function upcomingFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, variant: Variant<UpcomingFilterParam>): SelectQueryBuilder<T> {
  builder.innerJoin(Field, 'f', 'f.id = e.fieldId').where("e.status = 'scheduled'").andWhere('e.startsAt >= CAST(:from AS timestamptz)');
  return whereBound(builder, variant, {
    to: 'e.startsAt < CAST(:to AS timestamptz)',
    squadId: 'e.organizerSquadId = :squadId',
    fieldId: 'e.fieldId = :fieldId',
    region: 'lower(f.region) = lower(:region)',
    kind: 'e.kind = :kind',
  });
}

// X-User-ID allows ten digits, beyond integer: compared as bigint, an out-of-range id simply matches nothing.
function myEventsFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return scheduledWindow(
    builder
      .innerJoin(SquadEvent, 'e', 'e.id = r.eventId')
      .where('r.playerId = CAST(:playerId AS bigint)')
      .andWhere("r.status IN ('going', 'maybe')"),
  );
}

function attendeeFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return builder.where('r.eventId = :eventId').andWhere('(CAST(:status AS text) IS NULL OR r.status = :status)');
}

/** The event-summary columns, with the going count computed per listed event only. */
function summaryColumns<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return builder
    .select('e.id', 'id')
    .addSelect('e.title', 'title')
    .addSelect('e.kind', 'kind')
    .addSelect('e.startsAt', 'starts_at')
    .addSelect('e.endsAt', 'ends_at')
    .addSelect('e.status', 'status')
    .addSelect('e.capacity', 'capacity')
    .addSelect('e.organizerSquadId', 'organizer_squad_id')
    .addSelect('e.fieldId', 'field_id')
    .addSelect('f.name', 'field_name')
    .addSelect('f.region', 'region')
    .addSelect(
      (sub) => sub.select('CAST(COUNT(*) AS integer)').from(EventRsvp, 'g').where("g.eventId = e.id AND g.status = 'going'"),
      'going_count',
    )
    .orderBy('e.startsAt', 'ASC')
    .addOrderBy('e.id', 'ASC');
}

/** The events domain's read-only SQL: fixed statements compiled once from the entities. */
@Injectable()
export class EventsRepository {
  private readonly upcomingList;
  private readonly myList;
  private readonly attendanceSummary;
  private readonly attendeeList;

  constructor(
    sql: SqlBuilder,
    private readonly gateway: ReadOnlyGateway,
  ) {
    this.upcomingList = variants(UPCOMING_OPTIONAL, (variant) =>
      compileList('events_upcoming', UPCOMING_PARAMS, () => upcomingFilter(sql.select(SquadEvent, 'e'), variant), summaryColumns, variant),
    );
    this.myList = compileList(
      'events_mine',
      MY_PARAMS,
      () => myEventsFilter(sql.select(EventRsvp, 'r')),
      (builder) => summaryColumns(builder.innerJoin(Field, 'f', 'f.id = e.fieldId')).addSelect('r.status', 'my_status'),
    );
    this.attendanceSummary = compileQuery(
      'event_attendance_counts',
      ['eventId'],
      sql
        .select(SquadEvent, 'e')
        .leftJoin(EventRsvp, 'r', 'r.eventId = e.id')
        .select('e.id', 'event_id')
        .addSelect('e.capacity', 'capacity')
        .addSelect("CAST(COUNT(*) FILTER (WHERE r.status = 'going') AS integer)", 'going')
        .addSelect("CAST(COUNT(*) FILTER (WHERE r.status = 'maybe') AS integer)", 'maybe')
        .addSelect("CAST(COUNT(*) FILTER (WHERE r.status = 'declined') AS integer)", 'declined')
        .where('e.id = :eventId')
        .groupBy('e.id'),
    );
    this.attendeeList = compileList(
      'event_attendees',
      ATTENDEE_PARAMS,
      () => attendeeFilter(sql.select(EventRsvp, 'r')),
      (builder) =>
        builder
          .innerJoin(Player, 'p', 'p.id = r.playerId')
          .select('p.id', 'id')
          .addSelect('p.callsign', 'callsign')
          .addSelect('p.displayName', 'display_name')
          .addSelect('r.status', 'status')
          .addSelect('r.respondedAt', 'responded_at')
          .orderBy("CASE r.status WHEN 'going' THEN 0 WHEN 'maybe' THEN 1 ELSE 2 END", 'ASC')
          .addOrderBy('r.respondedAt', 'ASC')
          .addOrderBy('p.id', 'ASC'),
    );
  }

  upcoming(filter: UpcomingEventFilter, limit: number, offset: number): Promise<RowPage<EventSummaryRow>> {
    return this.gateway.page(this.upcomingList(filter), filter, limit, offset);
  }

  /** `playerId` is the caller's X-User-ID as given (digits); unknown players have no events. */
  mine(playerId: string, window: EventWindow, limit: number, offset: number): Promise<RowPage<MyEventRow>> {
    return this.gateway.page(this.myList, { playerId, from: window.from, to: window.to }, limit, offset);
  }

  /** Undefined when the event does not exist. */
  async attendance(
    eventId: number,
    status: RsvpStatus | null,
    limit: number,
    offset: number,
  ): Promise<{ summary: AttendanceSummaryRow; rows: AttendeeRow[]; total: number } | undefined> {
    const [summaries, attendees] = await Promise.all([
      this.gateway.rows<AttendanceSummaryRow, 'eventId'>(this.attendanceSummary, { eventId }),
      this.gateway.page<AttendeeRow, 'eventId' | 'status'>(this.attendeeList, { eventId, status }, limit, offset),
    ]);
    const summary = summaries[0];
    return summary === undefined ? undefined : { summary, ...attendees };
  }
}

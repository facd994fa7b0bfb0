import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { connectMcp, type Era, toolBody } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  total_count: number;
  has_more: boolean;
}

interface EventItem {
  id: number;
  kind: string;
  starts_at: string;
  ends_at: string;
  organizer_squad_id: number | null;
  field_id: number;
  region: string;
  going_count: number;
  my_status?: string;
}

interface Attendance extends Page<{ id: number; status: string }> {
  event_id: number;
  capacity: number;
  counts: { going: number; maybe: number; declined: number };
}

const FIND_EVENT = "Use list_upcoming_events to find an event's id";

/** Every scheduled future event with its field and going count, grouped rather than sub-selected. */
const UPCOMING_SQL = `
  SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.status, e.capacity, e.organizer_squad_id, e.field_id,
         f.name AS field_name, f.region, COUNT(g.player_id)::int AS going_count
    FROM events e
    JOIN fields f ON f.id = e.field_id
    LEFT JOIN event_rsvps g ON g.event_id = e.id AND g.status = 'going'
   WHERE e.status = 'scheduled' AND e.starts_at >= now()
   GROUP BY e.id, f.id
   ORDER BY e.starts_at, e.id`;

const MINE_SQL = `
  SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.status, e.capacity, e.organizer_squad_id, e.field_id,
         f.name AS field_name, f.region, COUNT(g.player_id)::int AS going_count, r.status AS my_status
    FROM event_rsvps r
    JOIN events e ON e.id = r.event_id
    JOIN fields f ON f.id = e.field_id
    LEFT JOIN event_rsvps g ON g.event_id = e.id AND g.status = 'going'
   WHERE r.player_id = $1 AND r.status IN ('going', 'maybe') AND e.status = 'scheduled' AND e.starts_at >= now()
   GROUP BY e.id, f.id, r.status
   ORDER BY e.starts_at, e.id`;

let app: TestApp;
const clients = new Map<Era, Client>();
let me: number;

beforeAll(async () => {
  app = await startTestApp();
  const { rows } = await app.db.query<{ player_id: number }>(
    `SELECT r.player_id FROM event_rsvps r JOIN events e ON e.id = r.event_id
      WHERE e.status = 'scheduled' AND r.status IN ('going', 'maybe')
      GROUP BY r.player_id ORDER BY COUNT(*) DESC, r.player_id LIMIT 1`,
  );
  me = rows[0]!.player_id;
  for (const era of ['legacy', 'modern'] as const) {
    clients.set(era, await connectMcp(app.url, SERVICE_KEY, era, { 'X-User-ID': String(me) }));
  }
});

afterAll(async () => {
  for (const client of clients.values()) {
    await client.close();
  }
  await app.close();
});

async function call<T = Record<string, unknown>>(era: Era, name: string, args: Record<string, unknown>, client = clients.get(era)!) {
  const result = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, body: toolBody<T>(result) };
}

async function sqlEvents(sql: string, params: unknown[] = []): Promise<EventItem[]> {
  const { rows } = await app.db.query<EventItem & { starts_at: Date; ends_at: Date }>(sql, params);
  return rows.map((row) => ({ ...row, starts_at: row.starts_at.toISOString(), ends_at: row.ends_at.toISOString() }));
}

/** The most frequent value of a property among the events, so a filter keeps several of them. */
function commonest<K extends keyof EventItem>(events: EventItem[], key: K): EventItem[K] {
  const counts = new Map<EventItem[K], number>();
  for (const event of events) {
    if (event[key] !== null) {
      counts.set(event[key], (counts.get(event[key]) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

describe.each(['legacy', 'modern'] as const)('events tools over MCP (%s era)', (era) => {
  it('lists the four event tools, read-only, version 1.0.0', async () => {
    const { tools } = await clients.get(era)!.listTools();
    for (const name of ['get_event', 'list_upcoming_events', 'get_event_attendance', 'list_my_events']) {
      const tool = tools.find((candidate) => candidate.name === name);
      expect(tool?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      expect(tool?._meta).toMatchObject({ version: '1.0.0' });
    }
    const mine = tools.find((tool) => tool.name === 'list_my_events')!;
    expect(Object.keys(mine.inputSchema.properties ?? {}).sort()).toEqual(['from', 'limit', 'offset', 'to']);
    expect(mine.inputSchema).toMatchObject({ additionalProperties: false });
    const attendance = tools.find((tool) => tool.name === 'get_event_attendance')!;
    expect(attendance.inputSchema).toMatchObject({
      required: ['event_id'],
      properties: { status: { type: 'string', enum: ['going', 'maybe', 'declined'] }, limit: { minimum: 1, maximum: 1000 } },
    });
  });

  it('describes the nested attendance counts and list items in the output schemas', async () => {
    const { tools } = await clients.get(era)!.listTools();
    const output = (name: string) => tools.find((tool) => tool.name === name)!.outputSchema as { properties: Record<string, unknown> };
    const attendance = output('get_event_attendance');
    expect(attendance).toMatchObject({
      properties: {
        event_id: { type: 'integer' },
        items: { type: 'array', items: { type: 'object', properties: { id: {}, callsign: {}, status: {}, responded_at: {} } } },
      },
    });
    // A described nested object comes out of OpenAPI as a one-part allOf.
    const counts = attendance.properties.counts as { allOf?: unknown[] };
    expect(counts.allOf?.[0] ?? counts).toMatchObject({ type: 'object', properties: { going: { type: 'integer' }, maybe: {}, declined: {} } });
    expect(output('list_my_events')).toMatchObject({
      properties: { items: { items: { properties: { my_status: { enum: ['going', 'maybe'] }, going_count: { type: 'integer' } } } } },
    });
  });

  it('returns an event as squad-api has it, with ISO dates', async () => {
    const { rows } = await app.db.query<Record<string, unknown> & { starts_at: Date; ends_at: Date }>(
      'SELECT id, title, kind, organizer_squad_id, field_id, starts_at, ends_at, capacity, status, notes FROM events WHERE id = 3',
    );
    const row = rows[0]!;
    const { isError, body } = await call(era, 'get_event', { event_id: 3 });
    expect(isError).toBe(false);
    expect(body).toEqual({ ...row, starts_at: row.starts_at.toISOString(), ends_at: row.ends_at.toISOString() });
  });

  it('answers an unknown event with not_found and a suggestion', async () => {
    const { isError, body } = await call(era, 'get_event', { event_id: 99_999_999 });
    expect(isError).toBe(true);
    expect(body).toMatchObject({ code: 'not_found', error: 'Event 99999999 not found', suggestions: [FIND_EVENT] });
  });
});

describe('list_upcoming_events', () => {
  let upcoming: EventItem[];

  beforeAll(async () => {
    upcoming = await sqlEvents(UPCOMING_SQL);
  });

  it('lists every scheduled future event soonest first, with field and going count', async () => {
    const { body } = await call<Page<EventItem>>('modern', 'list_upcoming_events', { limit: 1000 });
    expect(body.items).toEqual(upcoming);
    expect(body).toMatchObject({ total_count: upcoming.length, has_more: false });
    expect(upcoming.some((event) => event.going_count > 0)).toBe(true);
  });

  it.each([
    ['squad_id', 'organizer_squad_id'],
    ['field_id', 'field_id'],
    ['region', 'region'],
    ['kind', 'kind'],
  ] as const)('filters by %s', async (argument, key) => {
    const value = commonest(upcoming, key);
    const expected = upcoming.filter((event) => event[key] === value);
    const { body } = await call<Page<EventItem>>('legacy', 'list_upcoming_events', { [argument]: value, limit: 1000 });
    expect(expected.length).toBeGreaterThan(1);
    expect(body.items).toEqual(expected);
    expect(body.total_count).toBe(expected.length);
  });

  it('restricts to [from, to)', async () => {
    const from = upcoming[2]!.starts_at;
    const to = upcoming[9]!.starts_at;
    const expected = upcoming.filter((event) => event.starts_at >= from && event.starts_at < to);
    const { body } = await call<Page<EventItem>>('modern', 'list_upcoming_events', { from, to, limit: 1000 });
    expect(body.items.map((item) => item.id)).toEqual(expected.map((event) => event.id));
    expect(body.total_count).toBe(expected.length);
  });

  it('pages add up to a bigger page, and a page past the end is empty', async () => {
    const whole = (await call<Page<EventItem>>('modern', 'list_upcoming_events', { limit: 20 })).body;
    const first = (await call<Page<EventItem>>('modern', 'list_upcoming_events', { limit: 10 })).body;
    const second = (await call<Page<EventItem>>('legacy', 'list_upcoming_events', { limit: 10, offset: 10 })).body;
    expect([...first.items, ...second.items]).toEqual(whole.items);
    expect(first).toMatchObject({ limit: 10, offset: 0, total_count: upcoming.length, has_more: true });
    const past = (await call<Page<EventItem>>('modern', 'list_upcoming_events', { offset: upcoming.length })).body;
    expect(past).toMatchObject({ items: [], total_count: upcoming.length, has_more: false });
  });

  it('refuses from after to, and an unknown kind', async () => {
    const window = await call('modern', 'list_upcoming_events', { from: '2027-02-01', to: '2027-01-01' });
    expect(window.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'from', message: 'from must not be after to' }] });
    const kind = await call('modern', 'list_upcoming_events', { kind: 'paintball' });
    expect(kind.body).toMatchObject({
      code: 'invalid_input',
      details: [{ field: 'kind', message: 'kind must be one of: practice, scrimmage, tournament, open_play, scenario_game' }],
    });
  });
});

describe('get_event_attendance', () => {
  let eventId: number;
  let attendees: { id: number; status: string }[];

  beforeAll(async () => {
    const busiest = await app.db.query<{ event_id: number }>(
      'SELECT event_id FROM event_rsvps GROUP BY event_id ORDER BY COUNT(*) DESC, event_id LIMIT 1',
    );
    eventId = busiest.rows[0]!.event_id;
    const { rows } = await app.db.query<{ id: number; status: string }>(
      `SELECT r.player_id AS id, r.status FROM event_rsvps r WHERE r.event_id = $1
        ORDER BY array_position(ARRAY['going', 'maybe', 'declined'], r.status), r.responded_at, r.player_id`,
      [eventId],
    );
    attendees = rows;
  });

  it('counts answers by status and lists every attendee in the documented order', async () => {
    const { rows } = await app.db.query<{ capacity: number }>('SELECT capacity FROM events WHERE id = $1', [eventId]);
    const { body } = await call<Attendance>('modern', 'get_event_attendance', { event_id: eventId, limit: 1000 });
    const count = (status: string) => attendees.filter((attendee) => attendee.status === status).length;
    expect(body).toMatchObject({
      event_id: eventId,
      capacity: rows[0]!.capacity,
      counts: { going: count('going'), maybe: count('maybe'), declined: count('declined') },
      total_count: attendees.length,
      has_more: false,
    });
    expect(body.items.map(({ id, status }) => ({ id, status }))).toEqual(attendees);
    expect(count('going') * count('maybe') * count('declined')).toBeGreaterThan(0);
  });

  it('filters the attendees by status but keeps the counts over all answers', async () => {
    const { body } = await call<Attendance>('legacy', 'get_event_attendance', { event_id: eventId, status: 'maybe', limit: 1000 });
    const maybes = attendees.filter((attendee) => attendee.status === 'maybe');
    expect(body.items.map(({ id, status }) => ({ id, status }))).toEqual(maybes);
    expect(body.total_count).toBe(maybes.length);
    expect(body.counts.going + body.counts.maybe + body.counts.declined).toBe(attendees.length);
  });

  it('pages add up, and a page past the end is empty', async () => {
    const first = (await call<Attendance>('modern', 'get_event_attendance', { event_id: eventId, limit: 7 })).body;
    const rest = (await call<Attendance>('modern', 'get_event_attendance', { event_id: eventId, limit: 1000, offset: 7 })).body;
    expect([...first.items, ...rest.items].map((item) => item.id)).toEqual(attendees.map((attendee) => attendee.id));
    expect(first).toMatchObject({ limit: 7, offset: 0, total_count: attendees.length, has_more: true });
    const past = (await call<Attendance>('modern', 'get_event_attendance', { event_id: eventId, offset: attendees.length })).body;
    expect(past).toMatchObject({ items: [], total_count: attendees.length, has_more: false });
  });

  it('answers an unknown event with not_found and a suggestion', async () => {
    const { isError, body } = await call('modern', 'get_event_attendance', { event_id: 123_456_789 });
    expect(isError).toBe(true);
    expect(body).toMatchObject({ code: 'not_found', error: 'Event 123456789 not found', suggestions: [FIND_EVENT] });
  });
});

describe('list_my_events', () => {
  let mine: EventItem[];

  beforeAll(async () => {
    mine = await sqlEvents(MINE_SQL, [me]);
  });

  it("lists the X-User-ID player's going and maybe events soonest first", async () => {
    const { body } = await call<Page<EventItem>>('modern', 'list_my_events', { limit: 1000 });
    expect(body.items).toEqual(mine);
    expect(body.total_count).toBe(mine.length);
    expect(mine.length).toBeGreaterThan(3);
    expect(new Set(mine.map((event) => event.my_status))).toEqual(new Set(['going', 'maybe']));
  });

  it('pages add up, windows by [from, to), and a page past the end is empty', async () => {
    const first = (await call<Page<EventItem>>('legacy', 'list_my_events', { limit: 2 })).body;
    const rest = (await call<Page<EventItem>>('legacy', 'list_my_events', { limit: 1000, offset: 2 })).body;
    expect([...first.items, ...rest.items]).toEqual(mine);
    expect(first).toMatchObject({ total_count: mine.length, has_more: true });
    expect(rest.has_more).toBe(false);
    const window = { from: mine[1]!.starts_at, to: mine.at(-1)!.starts_at };
    const windowed = (await call<Page<EventItem>>('modern', 'list_my_events', window)).body;
    const inWindow = mine.filter((event) => event.starts_at >= window.from && event.starts_at < window.to);
    expect(windowed.items).toEqual(inWindow.slice(0, 10));
    expect(windowed.total_count).toBe(inWindow.length);
    const past = (await call<Page<EventItem>>('modern', 'list_my_events', { offset: mine.length })).body;
    expect(past).toMatchObject({ items: [], total_count: mine.length, has_more: false });
  });

  it.each(['1999999999', '2147483647'])('answers an unknown player id (%s) with an empty page', async (userId) => {
    const stranger = await connectMcp(app.url, SERVICE_KEY, 'modern', { 'X-User-ID': userId });
    try {
      const { isError, body } = await call('modern', 'list_my_events', {}, stranger);
      expect(isError).toBe(false);
      expect(body).toEqual({ items: [], limit: 10, offset: 0, total_count: 0, has_more: false, next_offset: null });
    } finally {
      await stranger.close();
    }
  });

  it.each([[{}], [{ 'X-User-ID': 'abc' }], [{ 'X-User-ID': '0' }], [{ 'X-User-ID': '-7' }], [{ 'X-User-ID': '12345678901' }], [{ 'X-User-ID': '2147483648' }]])(
    'refuses a call without a valid X-User-ID (%j)',
    async (headers) => {
      const anonymous = await connectMcp(app.url, SERVICE_KEY, 'legacy', headers);
      try {
        const { isError, body } = await call('legacy', 'list_my_events', {}, anonymous);
        expect(isError).toBe(true);
        expect(body).toMatchObject({
          code: 'invalid_input',
          status: 'error',
          error: "list_my_events needs the end user's player id: send it in the X-User-ID header as a positive integer",
          details: [{ field: 'X-User-ID', message: "X-User-ID must be the end user's player id (a positive integer)" }],
        });
      } finally {
        await anonymous.close();
      }
    },
  );
});

describe('REST mirror', () => {
  const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

  it('gives the same upcoming events as MCP', async () => {
    const args = { kind: 'practice', limit: 5, offset: 1 };
    const viaMcp = await call('modern', 'list_upcoming_events', args);
    const viaRest = await request(app.url).post('/v1/mcp/list_upcoming_events').set(auth).send(args);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(viaMcp.body);
  });

  it('reads the end user from X-User-ID and answers 400 without it', async () => {
    const viaMcp = await call('modern', 'list_my_events', {});
    const viaRest = await request(app.url).post('/v1/mcp/list_my_events').set({ ...auth, 'X-User-ID': String(me) }).send({});
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(viaMcp.body);
    const missing = await request(app.url).post('/v1/mcp/list_my_events').set(auth).send({});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'X-User-ID' }] });
  });
});

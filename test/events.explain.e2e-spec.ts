import { SqlBuilder } from '../src/database/sql-builder';
import { EventsRepository, type UpcomingEventFilter } from '../src/domains/events/events.repository';
import { accessPaths, ExplainingGateway, PLAN_MODES } from './support/explaining-gateway';
import { LARGE_WORLD_SEED_MS, largeWorldUrl } from './support/large-world';

const BIG_TABLES = ['match_player_stats', 'event_rsvps', 'matches', 'players', 'events'];

/** On the large world, the events queries reach their rows through indexes. */
describe.each(PLAN_MODES)('events queries on the large world (%s plans)', (mode) => {
  let gateway: ExplainingGateway;
  let repository: EventsRepository;
  let sample: { event_id: number; squad_id: number; field_id: number; region: string; player_id: number };
  const everything: UpcomingEventFilter = { from: new Date(), to: null, squadId: null, fieldId: null, region: null, kind: null };

  beforeAll(async () => {
    gateway = ExplainingGateway.forUrl(await largeWorldUrl(), mode);
    repository = new EventsRepository(await SqlBuilder.create(), gateway);
    const { rows } = await gateway.pool.query<typeof sample>(
      `SELECT e.id AS event_id, e.organizer_squad_id AS squad_id, e.field_id, f.region, r.player_id
         FROM events e JOIN fields f ON f.id = e.field_id JOIN event_rsvps r ON r.event_id = e.id
        WHERE e.status = 'scheduled' AND e.organizer_squad_id IS NOT NULL AND r.status = 'going'
        ORDER BY e.id, r.player_id LIMIT 1`,
    );
    sample = rows[0]!;
  }, LARGE_WORLD_SEED_MS);

  afterAll(async () => {
    await gateway.onModuleDestroy();
  });

  function paths(name: string): { indexes: string[]; bigSeqScans: string[] } {
    const { indexes, seqScans } = accessPaths(gateway.plans.get(name)!);
    return { indexes, bigSeqScans: seqScans.filter((table) => BIG_TABLES.includes(table)) };
  }

  it('events_upcoming walks the status/start index and counts going answers by the RSVP key', async () => {
    await repository.upcoming(everything, 10, 0);
    expect(paths('events_upcoming')).toEqual({
      indexes: expect.arrayContaining(['events_status_starts_at_idx', 'event_rsvps_pkey']) as string[],
      bigSeqScans: [],
    });
    expect(paths('events_upcoming_count')).toEqual({ indexes: ['events_status_starts_at_idx'], bigSeqScans: [] });
  });

  it('filters upcoming events by organiser and by field through their indexes', async () => {
    await repository.upcoming({ ...everything, squadId: sample.squad_id }, 10, 0);
    for (const name of ['events_upcoming', 'events_upcoming_count']) {
      expect(paths(name)).toEqual({ indexes: expect.arrayContaining(['events_organizer_idx']) as string[], bigSeqScans: [] });
    }
    await repository.upcoming({ ...everything, fieldId: sample.field_id }, 10, 0);
    for (const name of ['events_upcoming', 'events_upcoming_count']) {
      expect(paths(name)).toEqual({ indexes: expect.arrayContaining(['events_field_idx']) as string[], bigSeqScans: [] });
    }
  });

  it('filters upcoming events by region and kind without scanning events', async () => {
    await repository.upcoming({ ...everything, region: sample.region, kind: 'practice' }, 10, 0);
    expect(paths('events_upcoming').bigSeqScans).toEqual([]);
    expect(paths('events_upcoming_count')).toEqual({
      indexes: expect.arrayContaining(['events_status_starts_at_idx', 'fields_lower_region_idx']) as string[],
      bigSeqScans: [],
    });
  });

  it("events_mine and its count start from the player's RSVP index", async () => {
    await repository.mine(String(sample.player_id), { from: new Date(), to: null }, 10, 0);
    for (const name of ['events_mine', 'events_mine_count']) {
      expect(paths(name)).toEqual({
        indexes: expect.arrayContaining(['event_rsvps_player_idx', 'events_pkey']) as string[],
        bigSeqScans: [],
      });
    }
  });

  it('event attendance reads the event and its RSVPs by primary key', async () => {
    await repository.attendance(sample.event_id, null, 10, 0);
    expect(paths('event_attendance_counts')).toEqual({ indexes: ['events_pkey', 'event_rsvps_pkey'], bigSeqScans: [] });
    expect(paths('event_attendees')).toEqual({ indexes: ['event_rsvps_pkey', 'players_pkey'], bigSeqScans: [] });
    await repository.attendance(sample.event_id, 'going', 10, 0);
    expect(paths('event_attendees_count')).toEqual({ indexes: ['event_rsvps_pkey'], bigSeqScans: [] });
  });
});

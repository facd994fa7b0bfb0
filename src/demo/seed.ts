import type { Pool, PoolClient } from 'pg';

import { addForeignKeys, applySchema, dropForeignKeys } from './schema';
import {
  DEMO_TABLES,
  EVENT_RSVPS,
  EVENTS,
  FIELDS,
  MATCH_PLAYER_STATS,
  MATCHES,
  PLAYERS,
  SQUAD_MEMBERS,
  SQUADS,
  type TableLoad,
} from './seed-tables';
import { BatchWriter, writeAll, writeFamilies } from './seed-writer';
import { DemoWorld } from './world-generator';

export interface SeedOptions {
  /** World size multiplier (1 = small demo world). */
  scale?: number;
  /** Anchor of the world's timeline; defaults to today at 12:00 UTC. */
  now?: Date;
  log?: (line: string) => void;
}

export interface SeedResult {
  /** False when the database already held the demo world at this scale. */
  seeded: boolean;
  counts: Record<string, number>;
}

const BATCH_SIZE = 5000;

interface Counted {
  readonly table: string;
  readonly count: number;
}

const CREATE_SEED_TABLE = `CREATE TABLE IF NOT EXISTS demo_seed (
  id integer PRIMARY KEY CHECK (id = 1),
  scale integer NOT NULL,
  anchor timestamptz NOT NULL,
  counts jsonb NOT NULL,
  seeded_at timestamptz NOT NULL DEFAULT now()
)`;
// Serialises concurrent seeders (several replicas starting at once); released at commit.
const TAKE_SEED_LOCK = 'SELECT pg_advisory_xact_lock(1936028004, 1)';
const READ_SEED = 'SELECT scale, counts FROM demo_seed WHERE id = 1';
const HAS_DATA = `SELECT EXISTS (SELECT 1 FROM fields) OR EXISTS (SELECT 1 FROM players) OR EXISTS (SELECT 1 FROM squads)
  OR EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM matches) AS has_data`;
const TRUNCATE = `TRUNCATE match_player_stats, matches, event_rsvps, events, squad_members, squads, players, fields
  RESTART IDENTITY`;
const RECORD_SEED = `INSERT INTO demo_seed (id, scale, anchor, counts) VALUES (1, $1, $2, $3)
  ON CONFLICT (id) DO UPDATE SET scale = EXCLUDED.scale, anchor = EXCLUDED.anchor, counts = EXCLUDED.counts,
    seeded_at = now()`;
const RESET_SEQUENCES = [
  "SELECT setval(pg_get_serial_sequence('fields', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM fields), false)",
  "SELECT setval(pg_get_serial_sequence('players', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM players), false)",
  "SELECT setval(pg_get_serial_sequence('squads', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM squads), false)",
  "SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM events), false)",
  "SELECT setval(pg_get_serial_sequence('matches', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM matches), false)",
];
const ANALYZE = `ANALYZE fields, players, squads, squad_members, events, event_rsvps, matches, match_player_stats,
  demo_seed`;

/**
 * Creates the schema and loads the demo world in one transaction. Idempotent: a database that
 * already holds the world at this scale is left alone; another scale is truncated and reloaded.
 * Refuses to touch tables that hold data it did not load. Works over PGlite's shared session too,
 * since everything runs on one client.
 */
export async function seedDatabase(pool: Pool, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? ((): void => undefined);
  const world = new DemoWorld({ scale: options.scale, now: options.now });
  const client = await pool.connect();
  let result: SeedResult;
  try {
    await client.query('BEGIN');
    result = await seedInTransaction(client, world, log);
    await client.query('COMMIT');
  } catch (error) {
    // The original error matters more than a failed rollback; the broken client is discarded anyway.
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw error;
  }
  client.release();
  if (result.seeded) {
    await pool.query(ANALYZE);
  }
  return result;
}

async function seedInTransaction(
  client: PoolClient,
  world: DemoWorld,
  log: (line: string) => void,
): Promise<SeedResult> {
  await client.query(TAKE_SEED_LOCK);
  await applySchema(client);
  await client.query(CREATE_SEED_TABLE);
  const previous = (await client.query<{ scale: number; counts: unknown }>(READ_SEED)).rows[0];
  const { scale } = world.config;
  if (previous?.scale === scale) {
    log(`demo data already loaded at scale ${scale}; nothing to do`);
    return { seeded: false, counts: readCounts(previous.counts) };
  }
  if (previous) {
    log(`replacing the demo data of scale ${previous.scale} with scale ${scale}`);
    await client.query(TRUNCATE);
  } else if ((await client.query<{ has_data: boolean }>(HAS_DATA)).rows[0]?.has_data === true) {
    throw new Error('Refusing to seed: the squad tables already hold data that the demo seeder did not load');
  }
  await dropForeignKeys(client);
  const counts = await loadWorld(client, world, log);
  await addForeignKeys(client);
  for (const statement of RESET_SEQUENCES) {
    await client.query(statement);
  }
  await client.query(RECORD_SEED, [scale, world.now.toISOString(), JSON.stringify(counts)]);
  return { seeded: true, counts };
}

async function loadWorld(
  client: PoolClient,
  world: DemoWorld,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const started = Date.now();
  const writer = <Row>(load: TableLoad<Row>): BatchWriter<Row> => new BatchWriter(client, load, BATCH_SIZE);
  const writers = {
    fields: writer(FIELDS),
    players: writer(PLAYERS),
    squads: writer(SQUADS),
    squadMembers: writer(SQUAD_MEMBERS),
    events: writer(EVENTS),
    eventRsvps: writer(EVENT_RSVPS),
    matches: writer(MATCHES),
    stats: writer(MATCH_PLAYER_STATS),
  };
  const done = (...loaded: Counted[]): void => {
    const parts = loaded.map((w) => `${w.count} ${w.table}`).join(', ');
    log(`loaded ${parts} (${Date.now() - started} ms)`);
  };
  await writeAll(writers.fields, world.fields());
  await writeAll(writers.players, world.players());
  await writeAll(writers.squads, world.squads());
  await writeAll(writers.squadMembers, world.squadMembers());
  done(writers.fields, writers.players, writers.squads, writers.squadMembers);
  await writeFamilies(writers.events, writers.eventRsvps, world.eventsWithRsvps(), (e) => [e.event, e.rsvps]);
  done(writers.events, writers.eventRsvps);
  await writeFamilies(writers.matches, writers.stats, world.matchesWithStats(), (m) => [m.match, m.stats]);
  done(writers.matches, writers.stats);
  const all: Counted[] = Object.values(writers);
  return Object.fromEntries(DEMO_TABLES.map((table) => [table, all.find((w) => w.table === table)?.count ?? 0]));
}

function readCounts(value: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  if (value !== null && typeof value === 'object') {
    for (const [table, count] of Object.entries(value)) {
      if (typeof count === 'number') {
        counts[table] = count;
      }
    }
  }
  return counts;
}

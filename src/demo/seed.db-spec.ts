import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { createDatabase, dropDatabase } from '../../test/support/test-database';
import { endPool } from './end-pool';
import { seedDatabase } from './seed';

const NOW = new Date('2025-06-01T12:00:00.000Z');

const CHECKSUMS = `SELECT
  (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM fields t) AS fields,
  (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM players t) AS players,
  (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM squads t) AS squads,
  (SELECT md5(string_agg(t::text, '|' ORDER BY squad_id, player_id, joined_at)) FROM squad_members t) AS squad_members,
  (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM events t) AS events,
  (SELECT md5(string_agg(t::text, '|' ORDER BY event_id, player_id)) FROM event_rsvps t) AS event_rsvps,
  (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM matches t) AS matches,
  (SELECT md5(string_agg(t::text, '|' ORDER BY match_id, player_id)) FROM match_player_stats t) AS match_player_stats`;

const COUNTS = `SELECT
  (SELECT count(*)::int FROM fields) AS fields, (SELECT count(*)::int FROM players) AS players,
  (SELECT count(*)::int FROM squads) AS squads, (SELECT count(*)::int FROM squad_members) AS squad_members,
  (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM event_rsvps) AS event_rsvps,
  (SELECT count(*)::int FROM matches) AS matches, (SELECT count(*)::int FROM match_player_stats) AS match_player_stats`;

interface Scratch {
  readonly pool: Pool;
  drop(): Promise<void>;
}

async function scratchDatabase(): Promise<Scratch> {
  const name = `squad_demo_${randomBytes(4).toString('hex')}`;
  const pool = new Pool({ connectionString: await createDatabase(name), max: 3 });
  return {
    pool,
    drop: async () => {
      await endPool(pool);
      await dropDatabase(name);
    },
  };
}

describe('seedDatabase', () => {
  const scratches: Scratch[] = [];
  const fresh = async (): Promise<Pool> => {
    const scratch = await scratchDatabase();
    scratches.push(scratch);
    return scratch.pool;
  };

  afterAll(async () => {
    await Promise.all(scratches.map((scratch) => scratch.drop()));
  });

  it('loads identical rows into two fresh databases', async () => {
    const [first, second] = [await fresh(), await fresh()];
    const [a, b] = [await seedDatabase(first, { now: NOW }), await seedDatabase(second, { now: NOW })];
    expect(a).toEqual(b);
    const checksums = await Promise.all([first.query(CHECKSUMS), second.query(CHECKSUMS)]);
    expect(checksums[0].rows[0]).toEqual(checksums[1].rows[0]);
    expect(Object.values(checksums[0].rows[0] as object).every((sum) => typeof sum === 'string')).toBe(true);
  });

  it('reports the row counts it loaded', async () => {
    const pool = await fresh();
    const lines: string[] = [];
    const result = await seedDatabase(pool, { now: NOW, log: (line) => lines.push(line) });
    expect(result.seeded).toBe(true);
    expect((await pool.query(COUNTS)).rows[0]).toEqual(result.counts);
    expect(result.counts).toMatchObject({ fields: 30, players: 600, squads: 40, events: 300, matches: 800 });
    expect(result.counts.match_player_stats).toBeGreaterThan(4000);
    expect(lines.some((line) => line.includes('600 players'))).toBe(true);
  });

  it('does nothing when the world is already loaded at that scale', async () => {
    const pool = await fresh();
    const first = await seedDatabase(pool, { now: NOW });
    const before = (await pool.query(CHECKSUMS)).rows[0] as unknown;
    const again = await seedDatabase(pool, { now: new Date('2025-07-01T12:00:00.000Z') });
    expect(again).toEqual({ seeded: false, counts: first.counts });
    expect((await pool.query(CHECKSUMS)).rows[0]).toEqual(before);
  });

  it('replaces the world when asked for another scale', async () => {
    const pool = await fresh();
    await seedDatabase(pool, { now: NOW });
    const bigger = await seedDatabase(pool, { now: NOW, scale: 2 });
    expect(bigger.seeded).toBe(true);
    expect((await pool.query(COUNTS)).rows[0]).toEqual(bigger.counts);
    expect(bigger.counts.players).toBe(1200);
    const { rows } = await pool.query<{ scale: number }>('SELECT scale FROM demo_seed');
    expect(rows).toEqual([{ scale: 2 }]);
  });

  it('restores the foreign keys it drops for the bulk load', async () => {
    const pool = await fresh();
    await seedDatabase(pool, { now: NOW });
    const { rows } = await pool.query<{ keys: number }>("SELECT count(*)::int AS keys FROM pg_constraint WHERE contype = 'f'");
    expect(rows[0]?.keys).toBe(16);
  });

  it('leaves the sequences after the loaded ids', async () => {
    const pool = await fresh();
    await seedDatabase(pool, { now: NOW });
    const { rows } = await pool.query<{ id: number }>(
      "INSERT INTO fields (name, city, region, latitude, longitude, kind) VALUES ('New Field', 'Reno', 'Mountain West', 39.5, -119.8, 'mixed') RETURNING id",
    );
    expect(rows[0]?.id).toBe(31);
  });

  it('refuses to seed over data it did not load', async () => {
    const pool = await fresh();
    await seedDatabase(pool, { now: NOW });
    await pool.query('DROP TABLE demo_seed');
    await expect(seedDatabase(pool, { now: NOW })).rejects.toThrow(/Refusing to seed/);
    expect((await pool.query<{ players: number }>(COUNTS)).rows[0]?.players).toBe(600);
  });

  it('lets concurrent seeders load the world once', async () => {
    const pool = await fresh();
    const results = await Promise.all([seedDatabase(pool, { now: NOW }), seedDatabase(pool, { now: NOW })]);
    expect(results.map((result) => result.seeded).sort()).toEqual([false, true]);
  });
});

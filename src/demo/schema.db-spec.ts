import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { createDatabase, dropDatabase } from '../../test/support/test-database';
import { endPool } from './end-pool';
import { applySchema } from './schema';

const TABLES = [
  'event_rsvps',
  'events',
  'fields',
  'match_player_stats',
  'matches',
  'players',
  'squad_members',
  'squads',
];

describe('applySchema', () => {
  const name = `squad_demo_${randomBytes(4).toString('hex')}`;
  let pool: Pool;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createDatabase(name), max: 2 });
  });

  afterAll(async () => {
    await endPool(pool);
    await dropDatabase(name);
  });

  it('creates the eight tables and applies again without error', async () => {
    await applySchema(pool);
    await applySchema(pool);
    const { rows } = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(rows.map((row) => row.table_name)).toEqual(TABLES);
  });

  it('installs pg_trgm with trigram indexes on the searchable names', async () => {
    const { rows } = await pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%_trgm_ops%' ORDER BY indexname",
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      'players_callsign_trgm_gist_idx',
      'players_display_name_trgm_gist_idx',
      'squads_name_trgm_idx',
    ]);
  });

  it('indexes the columns the tools filter and sort on', async () => {
    const { rows } = await pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'",
    );
    const definitions = rows.map((row) => row.indexdef.replace(/^.* ON public\./, ''));
    expect(definitions).toEqual(
      expect.arrayContaining([
        'players USING btree (lower(region), "position", id)',
        'match_player_stats USING btree (player_id, match_id)',
        'match_player_stats USING btree (squad_id)',
        'matches USING btree (played_at DESC, id DESC)',
        'matches USING btree (home_squad_id, played_at)',
        'matches USING btree (away_squad_id, played_at)',
        'matches USING btree (field_id, played_at)',
        'matches USING btree (event_id)',
        'events USING btree (status, starts_at, id)',
        'events USING btree (organizer_squad_id, starts_at)',
        'events USING btree (field_id, starts_at)',
        'event_rsvps USING btree (player_id, status)',
        'squad_members USING btree (player_id)',
        'squads USING btree (lower(region), id)',
        'fields USING btree (lower(region), id)',
      ]),
    );
  });

  it('links the tables with sixteen foreign keys', async () => {
    const { rows } = await pool.query<{ keys: number }>("SELECT count(*)::int AS keys FROM pg_constraint WHERE contype = 'f'");
    expect(rows[0]?.keys).toBe(16);
    await expect(
      pool.query(
        "INSERT INTO players (callsign, display_name, email, region, home_field_id, position, skill_rating) VALUES ('a', 'b', 'c', 'd', 999, 'mid', 1)",
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('rejects values outside the enums of the domain model', async () => {
    await expect(
      pool.query(
        "INSERT INTO fields (name, city, region, latitude, longitude, kind) VALUES ('x', 'y', 'z', 0, 0, 'laser tag')",
      ),
    ).rejects.toThrow(/check constraint/);
  });
});

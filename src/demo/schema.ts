/**
 * The working model of squad-api's database (SPEC §3), plus the indexes behind every SQL tool of
 * SPEC §4. Every statement is idempotent, so applying the schema to a live database is safe.
 */

export type QueryRow = Record<string, unknown>;

/** What the schema and seed need from a connection: satisfied by pg's Pool and PoolClient. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: QueryRow[] }>;
}

const EXTENSIONS = ['CREATE EXTENSION IF NOT EXISTS pg_trgm'];

const TABLES = [
  `CREATE TABLE IF NOT EXISTS fields (
    id serial PRIMARY KEY,
    name text NOT NULL,
    city text NOT NULL,
    region text NOT NULL,
    latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    kind text NOT NULL CHECK (kind IN ('woodsball', 'speedball', 'scenario', 'mixed'))
  )`,
  `CREATE TABLE IF NOT EXISTS players (
    id serial PRIMARY KEY,
    callsign text NOT NULL UNIQUE,
    display_name text NOT NULL,
    email text NOT NULL UNIQUE,
    region text NOT NULL,
    home_field_id integer,
    position text NOT NULL CHECK (position IN ('front', 'mid', 'back', 'flex')),
    skill_rating integer NOT NULL CHECK (skill_rating BETWEEN 0 AND 3000),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS squads (
    id serial PRIMARY KEY,
    name text NOT NULL,
    tag text NOT NULL CHECK (char_length(tag) BETWEEN 2 AND 5),
    region text NOT NULL,
    home_field_id integer,
    captain_player_id integer,
    founded_on date NOT NULL,
    is_recruiting boolean NOT NULL DEFAULT false,
    description text,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS squad_members (
    squad_id integer NOT NULL,
    player_id integer NOT NULL,
    role text NOT NULL CHECK (role IN ('captain', 'co_captain', 'member', 'recruit')),
    joined_at timestamptz NOT NULL,
    left_at timestamptz CHECK (left_at IS NULL OR left_at > joined_at),
    PRIMARY KEY (squad_id, player_id, joined_at)
  )`,
  `CREATE TABLE IF NOT EXISTS events (
    id serial PRIMARY KEY,
    title text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('practice', 'scrimmage', 'tournament', 'open_play', 'scenario_game')),
    organizer_squad_id integer,
    field_id integer NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
    capacity integer NOT NULL CHECK (capacity > 0),
    status text NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'completed')),
    notes text
  )`,
  `CREATE TABLE IF NOT EXISTS event_rsvps (
    event_id integer NOT NULL,
    player_id integer NOT NULL,
    status text NOT NULL CHECK (status IN ('going', 'maybe', 'declined')),
    responded_at timestamptz NOT NULL,
    PRIMARY KEY (event_id, player_id)
  )`,
  `CREATE TABLE IF NOT EXISTS matches (
    id serial PRIMARY KEY,
    event_id integer,
    field_id integer NOT NULL,
    played_at timestamptz NOT NULL,
    format text NOT NULL,
    home_squad_id integer NOT NULL,
    away_squad_id integer NOT NULL,
    home_score integer CHECK (home_score >= 0),
    away_score integer CHECK (away_score >= 0),
    status text NOT NULL CHECK (status IN ('scheduled', 'final', 'forfeit')),
    CHECK (home_squad_id <> away_squad_id),
    CHECK (status = 'scheduled' OR (home_score IS NOT NULL AND away_score IS NOT NULL))
  )`,
  `CREATE TABLE IF NOT EXISTS match_player_stats (
    match_id integer NOT NULL,
    player_id integer NOT NULL,
    squad_id integer NOT NULL,
    eliminations integer NOT NULL DEFAULT 0 CHECK (eliminations >= 0),
    times_eliminated integer NOT NULL DEFAULT 0 CHECK (times_eliminated >= 0),
    flag_captures integer NOT NULL DEFAULT 0 CHECK (flag_captures >= 0),
    PRIMARY KEY (match_id, player_id)
  )`,
];

// Foreign keys live apart from the tables so a bulk load can drop them and re-add them after:
// one validating join per key instead of a trigger per row halves the seeding time.
const FOREIGN_KEYS = `DO $$
DECLARE fk text[];
BEGIN
  FOREACH fk SLICE 1 IN ARRAY ARRAY[
    ['players', 'home_field_id', 'fields'], ['squads', 'home_field_id', 'fields'],
    ['squads', 'captain_player_id', 'players'], ['squad_members', 'squad_id', 'squads'],
    ['squad_members', 'player_id', 'players'], ['events', 'organizer_squad_id', 'squads'],
    ['events', 'field_id', 'fields'], ['event_rsvps', 'event_id', 'events'], ['event_rsvps', 'player_id', 'players'],
    ['matches', 'event_id', 'events'], ['matches', 'field_id', 'fields'], ['matches', 'home_squad_id', 'squads'],
    ['matches', 'away_squad_id', 'squads'], ['match_player_stats', 'match_id', 'matches'],
    ['match_player_stats', 'player_id', 'players'], ['match_player_stats', 'squad_id', 'squads']
  ] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = fk[1]::regclass AND conname = fk[1] || '_' || fk[2] || '_fkey')
    THEN
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %I (id)',
        fk[1], fk[1] || '_' || fk[2] || '_fkey', fk[2], fk[3]);
    END IF;
  END LOOP;
END $$`;

const DROP_FOREIGN_KEYS = `DO $$
DECLARE fk text[];
BEGIN
  FOREACH fk SLICE 1 IN ARRAY ARRAY[
    ['players', 'home_field_id'], ['squads', 'home_field_id'], ['squads', 'captain_player_id'],
    ['squad_members', 'squad_id'], ['squad_members', 'player_id'], ['events', 'organizer_squad_id'],
    ['events', 'field_id'], ['event_rsvps', 'event_id'], ['event_rsvps', 'player_id'], ['matches', 'event_id'],
    ['matches', 'field_id'], ['matches', 'home_squad_id'], ['matches', 'away_squad_id'],
    ['match_player_stats', 'match_id'], ['match_player_stats', 'player_id'], ['match_player_stats', 'squad_id']
  ] LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', fk[1], fk[1] || '_' || fk[2] || '_fkey');
  END LOOP;
END $$`;

/** Secondary indexes, named after the SPEC §4 tool queries they serve. */
const INDEXES = [
  // search_players / list_squads: fragment search on names. The players' are GiST: for a short
  // fragment (one or two trigrams) the planner prices a GIN scan above a sequential scan of the
  // whole table, and a GiST one, rightly, far below it.
  'DROP INDEX IF EXISTS players_callsign_trgm_idx',
  'DROP INDEX IF EXISTS players_display_name_trgm_idx',
  'CREATE INDEX IF NOT EXISTS players_callsign_trgm_gist_idx ON players USING gist (callsign gist_trgm_ops)',
  'CREATE INDEX IF NOT EXISTS players_display_name_trgm_gist_idx ON players USING gist (display_name gist_trgm_ops)',
  'CREATE INDEX IF NOT EXISTS squads_name_trgm_idx ON squads USING gin (name gin_trgm_ops)',
  // Region filters match case-insensitively, so their indexes hold the lower-cased region.
  'DROP INDEX IF EXISTS players_region_position_idx',
  'DROP INDEX IF EXISTS squads_region_idx',
  'DROP INDEX IF EXISTS fields_region_idx',
  'CREATE INDEX IF NOT EXISTS players_lower_region_position_idx ON players (lower(region), position, id)',
  'CREATE INDEX IF NOT EXISTS squads_lower_region_idx ON squads (lower(region), id)',
  // get_player_stats, list_player_matches, get_leaderboard.
  'CREATE INDEX IF NOT EXISTS match_player_stats_player_idx ON match_player_stats (player_id, match_id)',
  'CREATE INDEX IF NOT EXISTS match_player_stats_squad_idx ON match_player_stats (squad_id)',
  // list_recent_matches, get_squad_record, get_head_to_head, get_squad_rankings.
  'CREATE INDEX IF NOT EXISTS matches_played_at_idx ON matches (played_at DESC, id DESC)',
  "CREATE INDEX IF NOT EXISTS matches_final_played_at_idx ON matches (played_at DESC, id DESC) WHERE status = 'final'",
  'CREATE INDEX IF NOT EXISTS matches_home_squad_idx ON matches (home_squad_id, played_at)',
  'CREATE INDEX IF NOT EXISTS matches_away_squad_idx ON matches (away_squad_id, played_at)',
  'CREATE INDEX IF NOT EXISTS matches_field_idx ON matches (field_id, played_at)',
  'CREATE INDEX IF NOT EXISTS matches_event_idx ON matches (event_id)',
  // list_upcoming_events, list_my_events, get_event_attendance.
  'CREATE INDEX IF NOT EXISTS events_status_starts_at_idx ON events (status, starts_at, id)',
  'CREATE INDEX IF NOT EXISTS events_organizer_idx ON events (organizer_squad_id, starts_at)',
  'CREATE INDEX IF NOT EXISTS events_field_idx ON events (field_id, starts_at)',
  'CREATE INDEX IF NOT EXISTS event_rsvps_player_idx ON event_rsvps (player_id, status)',
  'CREATE INDEX IF NOT EXISTS squad_members_player_idx ON squad_members (player_id)',
  // list_fields, list_regions.
  'CREATE INDEX IF NOT EXISTS fields_lower_region_idx ON fields (lower(region), id)',
];

/** Creates the extension, tables, foreign keys and indexes that do not exist yet; safe to run on every start. */
export async function applySchema(db: Queryable): Promise<void> {
  for (const statement of [...EXTENSIONS, ...TABLES, FOREIGN_KEYS, ...INDEXES]) {
    await db.query(statement);
  }
}

/** Drops the foreign keys before a bulk load. */
export async function dropForeignKeys(db: Queryable): Promise<void> {
  await db.query(DROP_FOREIGN_KEYS);
}

/** Adds the missing foreign keys, validating existing rows with one join per key. */
export async function addForeignKeys(db: Queryable): Promise<void> {
  await db.query(FOREIGN_KEYS);
}

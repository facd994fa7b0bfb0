import type {
  EventRow,
  EventRsvpRow,
  FieldRow,
  MatchPlayerStatRow,
  MatchRow,
  PlayerRow,
  SquadMemberRow,
  SquadRow,
} from './world-rows';

/**
 * How one table is bulk-loaded: a single parameterized INSERT … SELECT FROM unnest(...) whose
 * parameters are one array per column, so a batch of thousands of rows is one round trip.
 */
export interface TableLoad<Row> {
  readonly table: string;
  readonly sql: string;
  readonly columns: readonly ((row: Row) => unknown)[];
}

export const FIELDS: TableLoad<FieldRow> = {
  table: 'fields',
  sql: `INSERT INTO fields (id, name, city, region, latitude, longitude, kind)
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])`,
  columns: [(r) => r.id, (r) => r.name, (r) => r.city, (r) => r.region, (r) => r.latitude, (r) => r.longitude, (r) => r.kind],
};

export const PLAYERS: TableLoad<PlayerRow> = {
  table: 'players',
  sql: `INSERT INTO players (id, callsign, display_name, email, region, home_field_id, position, skill_rating, created_at)
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[],
      $9::timestamptz[])`,
  columns: [
    (r) => r.id,
    (r) => r.callsign,
    (r) => r.display_name,
    (r) => r.email,
    (r) => r.region,
    (r) => r.home_field_id,
    (r) => r.position,
    (r) => r.skill_rating,
    (r) => r.created_at,
  ],
};

export const SQUADS: TableLoad<SquadRow> = {
  table: 'squads',
  sql: `INSERT INTO squads (id, name, tag, region, home_field_id, captain_player_id, founded_on, is_recruiting, description,
      created_at)
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::date[], $8::bool[],
      $9::text[], $10::timestamptz[])`,
  columns: [
    (r) => r.id,
    (r) => r.name,
    (r) => r.tag,
    (r) => r.region,
    (r) => r.home_field_id,
    (r) => r.captain_player_id,
    (r) => r.founded_on,
    (r) => r.is_recruiting,
    (r) => r.description,
    (r) => r.created_at,
  ],
};

export const SQUAD_MEMBERS: TableLoad<SquadMemberRow> = {
  table: 'squad_members',
  sql: `INSERT INTO squad_members (squad_id, player_id, role, joined_at, left_at)
    SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[])`,
  columns: [(r) => r.squad_id, (r) => r.player_id, (r) => r.role, (r) => r.joined_at, (r) => r.left_at],
};

export const EVENTS: TableLoad<EventRow> = {
  table: 'events',
  sql: `INSERT INTO events (id, title, kind, organizer_squad_id, field_id, starts_at, ends_at, capacity, status, notes)
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::timestamptz[],
      $8::int[], $9::text[], $10::text[])`,
  columns: [
    (r) => r.id,
    (r) => r.title,
    (r) => r.kind,
    (r) => r.organizer_squad_id,
    (r) => r.field_id,
    (r) => r.starts_at,
    (r) => r.ends_at,
    (r) => r.capacity,
    (r) => r.status,
    (r) => r.notes,
  ],
};

export const EVENT_RSVPS: TableLoad<EventRsvpRow> = {
  table: 'event_rsvps',
  sql: `INSERT INTO event_rsvps (event_id, player_id, status, responded_at)
    SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::timestamptz[])`,
  columns: [(r) => r.event_id, (r) => r.player_id, (r) => r.status, (r) => r.responded_at],
};

export const MATCHES: TableLoad<MatchRow> = {
  table: 'matches',
  sql: `INSERT INTO matches (id, event_id, field_id, played_at, format, home_squad_id, away_squad_id, home_score, away_score,
      status)
    SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::timestamptz[], $5::text[], $6::int[], $7::int[], $8::int[],
      $9::int[], $10::text[])`,
  columns: [
    (r) => r.id,
    (r) => r.event_id,
    (r) => r.field_id,
    (r) => r.played_at,
    (r) => r.format,
    (r) => r.home_squad_id,
    (r) => r.away_squad_id,
    (r) => r.home_score,
    (r) => r.away_score,
    (r) => r.status,
  ],
};

export const MATCH_PLAYER_STATS: TableLoad<MatchPlayerStatRow> = {
  table: 'match_player_stats',
  sql: `INSERT INTO match_player_stats (match_id, player_id, squad_id, eliminations, times_eliminated, flag_captures)
    SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[])`,
  columns: [
    (r) => r.match_id,
    (r) => r.player_id,
    (r) => r.squad_id,
    (r) => r.eliminations,
    (r) => r.times_eliminated,
    (r) => r.flag_captures,
  ],
};

/** Every demo table, parents before children. */
export const DEMO_TABLES = [
  'fields',
  'players',
  'squads',
  'squad_members',
  'events',
  'event_rsvps',
  'matches',
  'match_player_stats',
] as const;

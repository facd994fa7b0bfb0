import type { Queryable, QueryRow } from './schema';

/**
 * The reads behind the demo squad-api. Column names are the JSON field names; dates are rendered
 * as text so they never pass through the driver's local-time Date parsing.
 */
const PLAYER = `SELECT id, callsign, display_name, email, region, home_field_id, position, skill_rating, created_at
  FROM players WHERE id = $1`;

const SQUAD = `SELECT id, name, tag, region, home_field_id, captain_player_id, to_char(founded_on, 'YYYY-MM-DD') AS founded_on,
    is_recruiting, description, created_at
  FROM squads WHERE id = $1`;

const SQUAD_EXISTS = 'SELECT 1 FROM squads WHERE id = $1';

const SQUAD_MEMBERS = `SELECT m.squad_id, m.player_id, p.callsign, p.display_name, m.role, m.joined_at, m.left_at
  FROM squad_members m
  JOIN players p ON p.id = m.player_id
  WHERE m.squad_id = $1
  ORDER BY m.left_at IS NOT NULL, m.joined_at, m.player_id`;

const EVENT = `SELECT id, title, kind, organizer_squad_id, field_id, starts_at, ends_at, capacity, status, notes
  FROM events WHERE id = $1`;

const MATCH = `SELECT id, event_id, field_id, played_at, format, home_squad_id, away_squad_id, home_score, away_score, status
  FROM matches WHERE id = $1`;

const MATCH_STATS = `SELECT s.match_id, s.player_id, s.squad_id, s.eliminations, s.times_eliminated, s.flag_captures
  FROM match_player_stats s
  JOIN matches m ON m.id = s.match_id
  WHERE s.match_id = $1
  ORDER BY s.squad_id <> m.home_squad_id, s.player_id`;

export type Finder = (db: Queryable, id: number) => Promise<object | null>;

async function one(db: Queryable, sql: string, id: number): Promise<QueryRow | null> {
  const { rows } = await db.query(sql, [id]);
  return rows[0] ?? null;
}

export const findPlayer: Finder = (db, id) => one(db, PLAYER, id);

export const findSquad: Finder = (db, id) => one(db, SQUAD, id);

export const findEvent: Finder = (db, id) => one(db, EVENT, id);

/** Current and former memberships, current ones first; null when the squad does not exist. */
export const findSquadMembers: Finder = async (db, id) => {
  if ((await one(db, SQUAD_EXISTS, id)) === null) {
    return null;
  }
  return (await db.query(SQUAD_MEMBERS, [id])).rows;
};

/** The match with its stat lines, home side first; none for scheduled or forfeited matches. */
export const findMatch: Finder = async (db, id) => {
  const match = await one(db, MATCH, id);
  if (match === null) {
    return null;
  }
  const { rows } = await db.query(MATCH_STATS, [id]);
  return { ...match, player_stats: rows };
};

/** One endpoint of the demo squad-api: its path as the contract writes it, and the read behind it. */
export interface DemoRoute {
  readonly path: string;
  /** The path's parameter, named as in the contract; '' for none. */
  readonly param: string;
  readonly pattern: RegExp;
  readonly find: Finder | null;
}

function route(path: string, find: Finder | null): DemoRoute {
  return { path, param: /\{(\w+)\}/.exec(path)?.[1] ?? '', pattern: new RegExp(`^${path.replace(/\{\w+\}/, '([^/]+)')}$`), find };
}

/** Every endpoint the demo serves, beside the reads that answer them, so a new endpoint is one entry here. */
export const DEMO_ROUTES: readonly DemoRoute[] = [
  route('/api/health', null),
  route('/api/players/{player_id}', findPlayer),
  route('/api/squads/{squad_id}', findSquad),
  route('/api/squads/{squad_id}/members', findSquadMembers),
  route('/api/events/{event_id}', findEvent),
  route('/api/matches/{match_id}', findMatch),
];

// Generated from contracts/squad-api.openapi.json by tools/contract-types.mjs; do not edit.
// After changing the contract, run `npm run contract:types`.

/** A player's profile. `email` is personal data. */
export interface Player {
  id: number;
  /** Unique handle. */
  callsign: string;
  display_name: string;
  /** Personal data. */
  email: string;
  region: string;
  /** The player's usual field, if any. */
  home_field_id: number | null;
  position: "front" | "mid" | "back" | "flex";
  skill_rating: number;
  created_at: string;
}

/** A team of players. */
export interface Squad {
  id: number;
  name: string;
  /** Short tag shown next to callsigns. */
  tag: string;
  region: string;
  home_field_id: number | null;
  captain_player_id: number | null;
  founded_on: string;
  is_recruiting: boolean;
  description: string | null;
  created_at: string;
}

/** One membership of a player in a squad; `left_at` is null while current. */
export interface SquadMember {
  squad_id: number;
  player_id: number;
  callsign: string;
  display_name: string;
  role: "captain" | "co_captain" | "member" | "recruit";
  joined_at: string;
  /** Null while the membership is current. */
  left_at: string | null;
}

/** A practice, scrimmage, tournament, open play day or scenario game at a field. */
export interface Event {
  id: number;
  title: string;
  kind: "practice" | "scrimmage" | "tournament" | "open_play" | "scenario_game";
  /** Null for events organised by the field. */
  organizer_squad_id: number | null;
  field_id: number;
  starts_at: string;
  ends_at: string;
  capacity: number;
  status: "scheduled" | "cancelled" | "completed";
  notes: string | null;
}

/** One player's stat line in a match. */
export interface MatchPlayerStat {
  match_id: number;
  player_id: number;
  /** The side the player played for. */
  squad_id: number;
  eliminations: number;
  times_eliminated: number;
  flag_captures: number;
}

/** A match between two squads. Scores are null while scheduled; scheduled and forfeited matches have no stat lines. */
export interface Match {
  id: number;
  /** Null for matches played outside an event. */
  event_id: number | null;
  field_id: number;
  played_at: string;
  /** e.g. `5-man race to 2`. */
  format: string;
  home_squad_id: number;
  away_squad_id: number;
  home_score: number | null;
  away_score: number | null;
  status: "scheduled" | "final" | "forfeit";
  /** Home side first, then by player id. */
  player_stats: MatchPlayerStat[];
}

/** Liveness of squad-api. */
export interface Health {
  status: string;
}

/** Error body for 401, 404 and 405. */
export interface Error {
  detail: string;
}

/** One invalid input. */
export interface ValidationError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

/** Error body for 422. */
export interface HTTPValidationError {
  detail: ValidationError[];
}

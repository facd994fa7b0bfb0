/**
 * Rows of the demo world, shaped like the tables of SPEC §3. Timestamps are ISO 8601 strings in UTC
 * and dates are `YYYY-MM-DD`, so rows compare and serialise the same everywhere.
 */

export const FIELD_KINDS = ['woodsball', 'speedball', 'scenario', 'mixed'] as const;
export const POSITIONS = ['front', 'mid', 'back', 'flex'] as const;
export const MEMBER_ROLES = ['captain', 'co_captain', 'member', 'recruit'] as const;
export const EVENT_KINDS = ['practice', 'scrimmage', 'tournament', 'open_play', 'scenario_game'] as const;
export const EVENT_STATUSES = ['scheduled', 'cancelled', 'completed'] as const;
export const RSVP_STATUSES = ['going', 'maybe', 'declined'] as const;
export const MATCH_STATUSES = ['scheduled', 'final', 'forfeit'] as const;

export type FieldKind = (typeof FIELD_KINDS)[number];
export type Position = (typeof POSITIONS)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type EventKind = (typeof EVENT_KINDS)[number];
export type EventStatus = (typeof EVENT_STATUSES)[number];
export type RsvpStatus = (typeof RSVP_STATUSES)[number];
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface FieldRow {
  id: number;
  name: string;
  city: string;
  region: string;
  latitude: number;
  longitude: number;
  kind: FieldKind;
}

export interface PlayerRow {
  id: number;
  callsign: string;
  display_name: string;
  email: string;
  region: string;
  home_field_id: number | null;
  position: Position;
  skill_rating: number;
  created_at: string;
}

export interface SquadRow {
  id: number;
  name: string;
  tag: string;
  region: string;
  home_field_id: number;
  captain_player_id: number;
  founded_on: string;
  is_recruiting: boolean;
  description: string | null;
  created_at: string;
}

export interface SquadMemberRow {
  squad_id: number;
  player_id: number;
  role: MemberRole;
  joined_at: string;
  left_at: string | null;
}

export interface EventRow {
  id: number;
  title: string;
  kind: EventKind;
  organizer_squad_id: number | null;
  field_id: number;
  starts_at: string;
  ends_at: string;
  capacity: number;
  status: EventStatus;
  notes: string | null;
}

export interface EventRsvpRow {
  event_id: number;
  player_id: number;
  status: RsvpStatus;
  responded_at: string;
}

export interface MatchRow {
  id: number;
  event_id: number | null;
  field_id: number;
  played_at: string;
  format: string;
  home_squad_id: number;
  away_squad_id: number;
  home_score: number | null;
  away_score: number | null;
  status: MatchStatus;
}

export interface MatchPlayerStatRow {
  match_id: number;
  player_id: number;
  squad_id: number;
  eliminations: number;
  times_eliminated: number;
  flag_captures: number;
}

export interface EventWithRsvps {
  event: EventRow;
  rsvps: EventRsvpRow[];
}

export interface MatchWithStats {
  match: MatchRow;
  stats: MatchPlayerStatRow[];
}

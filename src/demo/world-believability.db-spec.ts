import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { createDatabase, dropDatabase } from '../../test/support/test-database';
import { endPool } from './end-pool';
import { seedDatabase } from './seed';

const NOW = new Date('2025-06-01T12:00:00.000Z');

describe('the seeded demo world', () => {
  const name = `squad_demo_${randomBytes(4).toString('hex')}`;
  let pool: Pool;

  /** The first row of a query whose $1, if any, is the anchor instant. */
  const single = async (sql: string): Promise<Record<string, unknown>> => {
    const values = sql.includes('$1') ? [NOW.toISOString()] : [];
    const { rows } = await pool.query<Record<string, unknown>>(sql, values);
    return rows[0] ?? {};
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createDatabase(name), max: 2 });
    await seedDatabase(pool, { now: NOW });
  });

  afterAll(async () => {
    await endPool(pool);
    await dropDatabase(name);
  });

  it('spreads events from 120 days before to 90 days after now, with statuses that fit the time', async () => {
    expect(
      await single(`SELECT
        count(*) FILTER (WHERE starts_at < $1)::int > 0 AS has_past,
        count(*) FILTER (WHERE starts_at > $1)::int > 0 AS has_future,
        min(starts_at) >= $1::timestamptz - interval '121 days' AS recent_enough,
        max(starts_at) <= $1::timestamptz + interval '91 days' AS soon_enough,
        count(*) FILTER (WHERE starts_at < $1 AND status = 'scheduled')::int AS past_scheduled,
        count(*) FILTER (WHERE starts_at > $1 AND status = 'completed')::int AS future_completed,
        count(DISTINCT kind)::int AS kinds, count(DISTINCT status)::int AS statuses
      FROM events`),
    ).toEqual({
      has_past: true,
      has_future: true,
      recent_enough: true,
      soon_enough: true,
      past_scheduled: 0,
      future_completed: 0,
      kinds: 5,
      statuses: 3,
    });
  });

  it('has RSVPs in every status, answered before the event and not after now', async () => {
    const { rows } = await pool.query<{ status: string }>('SELECT DISTINCT status FROM event_rsvps ORDER BY status');
    expect(rows.map((row) => row.status)).toEqual(['declined', 'going', 'maybe']);
    expect(
      await single(`SELECT count(*)::int AS late FROM event_rsvps r JOIN events e ON e.id = r.event_id
        WHERE r.responded_at > e.starts_at OR r.responded_at > $1`),
    ).toEqual({ late: 0 });
  });

  it('has former members, and no player in two squads at once', async () => {
    expect(await single('SELECT count(*)::int > 0 AS has_former FROM squad_members WHERE left_at IS NOT NULL')).toEqual({
      has_former: true,
    });
    expect(
      await single(`SELECT count(*)::int AS overlaps FROM squad_members a JOIN squad_members b
        ON a.player_id = b.player_id AND (a.squad_id, a.joined_at) <> (b.squad_id, b.joined_at)
        AND a.joined_at < coalesce(b.left_at, $1) AND b.joined_at < coalesce(a.left_at, $1)`),
    ).toEqual({ overlaps: 0 });
  });

  it("makes each squad's captain a current member with the captain role", async () => {
    expect(
      await single(`SELECT count(*)::int AS squads, count(m.player_id)::int AS captained,
          count(*) FILTER (WHERE (SELECT count(*) FROM squad_members c WHERE c.squad_id = s.id AND c.role = 'captain'
            AND c.left_at IS NULL) = 1)::int AS one_captain
        FROM squads s LEFT JOIN squad_members m ON m.squad_id = s.id AND m.player_id = s.captain_player_id
          AND m.role = 'captain' AND m.left_at IS NULL AND m.joined_at <= $1`),
    ).toEqual({ squads: 40, captained: 40, one_captain: 40 });
  });

  it('gives every final match 4 to 8 stat lines on each side', async () => {
    const { finals, good_sides, sides } = await single(`WITH sides AS (
        SELECT m.id, s.squad_id IN (m.home_squad_id, m.away_squad_id) AS playing, count(s.player_id) AS lines
        FROM matches m LEFT JOIN match_player_stats s ON s.match_id = m.id
        WHERE m.status = 'final' GROUP BY m.id, s.squad_id, m.home_squad_id, m.away_squad_id)
      SELECT count(DISTINCT id)::int AS finals, count(*)::int AS sides,
        count(*) FILTER (WHERE playing AND lines BETWEEN 4 AND 8)::int AS good_sides
      FROM sides`);
    expect(finals).toBeGreaterThan(400);
    expect(sides).toBe(2 * Number(finals));
    expect(good_sides).toBe(sides);
  });

  it('draws stat lines from players who were in the squad when the match was played', async () => {
    expect(
      await single(`SELECT count(*)::int AS outsiders FROM match_player_stats s JOIN matches m ON m.id = s.match_id
        WHERE NOT EXISTS (SELECT 1 FROM squad_members sm WHERE sm.squad_id = s.squad_id AND sm.player_id = s.player_id
          AND sm.joined_at <= m.played_at AND coalesce(sm.left_at, $1) > m.played_at)`),
    ).toEqual({ outsiders: 0 });
  });

  it('keeps matches consistent with time: past ones final or forfeit, future ones scheduled without stats', async () => {
    expect(
      await single(`SELECT
        count(*) FILTER (WHERE played_at < $1 AND status = 'scheduled')::int AS past_scheduled,
        count(*) FILTER (WHERE played_at > $1 AND status <> 'scheduled')::int AS future_played,
        count(*) FILTER (WHERE status = 'scheduled' AND (home_score IS NOT NULL
          OR EXISTS (SELECT 1 FROM match_player_stats s WHERE s.match_id = matches.id)))::int AS scheduled_with_results,
        count(*) FILTER (WHERE status = 'forfeit')::int > 0 AS has_forfeits,
        count(*) FILTER (WHERE status = 'scheduled')::int > 0 AS has_scheduled,
        count(*) FILTER (WHERE status = 'final')::int > count(*) FILTER (WHERE status = 'forfeit')::int * 5
          AS mostly_final
      FROM matches`),
    ).toEqual({
      past_scheduled: 0,
      future_played: 0,
      scheduled_with_results: 0,
      has_forfeits: true,
      has_scheduled: true,
      mostly_final: true,
    });
  });

  it("credits each side's flag captures with its score", async () => {
    expect(
      await single(`SELECT count(*)::int AS mismatched FROM matches m
        WHERE m.status = 'final' AND (
          m.home_score <> (SELECT sum(flag_captures) FROM match_player_stats s WHERE s.match_id = m.id AND s.squad_id = m.home_squad_id)
          OR m.away_score <> (SELECT sum(flag_captures) FROM match_player_stats s WHERE s.match_id = m.id AND s.squad_id = m.away_squad_id))`),
    ).toEqual({ mismatched: 0 });
  });

  it('gives players example.test emails from their callsigns and accounts older than their memberships', async () => {
    expect(
      await single(`SELECT
        count(*) FILTER (WHERE email <> lower(callsign) || '@example.test')::int AS odd_emails,
        count(*) FILTER (WHERE created_at > $1)::int AS from_the_future,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM squad_members m WHERE m.player_id = p.id AND m.joined_at < p.created_at))::int
          AS joined_before_signup
      FROM players p`),
    ).toEqual({ odd_emails: 0, from_the_future: 0, joined_before_signup: 0 });
  });
});

import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { connectMcp, type Era, toolBody } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  total_count: number;
  has_more: boolean;
}

type Row = Record<string, unknown>;

const METRICS = ['eliminations', 'elimination_ratio', 'wins', 'flag_captures'] as const;

let app: TestApp;
const clients = new Map<Era, Client>();
/** The squad with the most final matches, and a [since, until) window holding about half of the final matches. */
let busySquadId: number;
let window: { since: string; until: string };

beforeAll(async () => {
  app = await startTestApp();
  for (const era of ['legacy', 'modern'] as const) {
    clients.set(era, await connectMcp(app.url, SERVICE_KEY, era));
  }
  const squads = await app.db.query<{ squad_id: number }>(
    `SELECT squad_id FROM (SELECT home_squad_id AS squad_id FROM matches WHERE status = 'final'
                           UNION ALL SELECT away_squad_id FROM matches WHERE status = 'final') sides
      GROUP BY squad_id ORDER BY COUNT(*) DESC, squad_id LIMIT 1`,
  );
  busySquadId = squads.rows[0]!.squad_id;
  const range = await app.db.query<{ since: Date; until: Date }>(
    `SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY played_at) AS since,
            percentile_disc(0.75) WITHIN GROUP (ORDER BY played_at) AS until
       FROM matches WHERE status = 'final'`,
  );
  window = { since: range.rows[0]!.since.toISOString(), until: range.rows[0]!.until.toISOString() };
});

afterAll(async () => {
  for (const client of clients.values()) {
    await client.close();
  }
  await app.close();
});

async function call<T = Row>(era: Era, name: string, args: Record<string, unknown>) {
  const result = await clients.get(era)!.callTool({ name, arguments: args });
  return { isError: result.isError === true, body: toolBody<T>(result), text: (result.content as { text: string }[])[0]!.text };
}

const page = async <T = Row>(name: string, args: Record<string, unknown>, era: Era = 'modern') => (await call<Page<T>>(era, name, args)).body;

/** Independent per-player totals over final matches, ranked in the documented order. */
async function expectedLeaderboard(metric: (typeof METRICS)[number], filter: { region?: string; since?: string; until?: string; min?: number }) {
  const { rows } = await app.db.query<Row & { value: number; id: number }>(
    `SELECT p.id, p.callsign, p.display_name, p.region, COUNT(*)::int AS matches_played,
            CASE $1 WHEN 'eliminations' THEN SUM(s.eliminations)::float8
                    WHEN 'flag_captures' THEN SUM(s.flag_captures)::float8
                    WHEN 'wins' THEN SUM(CASE WHEN (s.squad_id = m.home_squad_id AND m.home_score > m.away_score)
                                               OR (s.squad_id = m.away_squad_id AND m.away_score > m.home_score) THEN 1 ELSE 0 END)::float8
                    ELSE round(SUM(s.eliminations)::numeric / GREATEST(SUM(s.times_eliminated), 1), 3)::float8 END AS value
       FROM players p JOIN match_player_stats s ON s.player_id = p.id JOIN matches m ON m.id = s.match_id
      WHERE m.status = 'final' AND ($2::text IS NULL OR p.region = $2)
        AND ($3::timestamptz IS NULL OR m.played_at >= $3) AND ($4::timestamptz IS NULL OR m.played_at < $4)
      GROUP BY p.id HAVING COUNT(*) >= $5`,
    [metric, filter.region ?? null, filter.since ?? null, filter.until ?? null, filter.min ?? 1],
  );
  rows.sort((a, b) => b.value - a.value || a.id - b.id);
  return rows.map((row, index) => ({ rank: index + 1, ...row }));
}

/** Independent per-squad records: one line per side of each final match. */
async function expectedRankings(filter: { region?: string; since?: string; until?: string; min?: number }) {
  const { rows } = await app.db.query<Row & { id: number; win_rate: number; points_for: number }>(
    `WITH sides AS (
       SELECT home_squad_id AS squad_id, home_score AS pf, away_score AS pa, played_at FROM matches WHERE status = 'final'
       UNION ALL
       SELECT away_squad_id, away_score, home_score, played_at FROM matches WHERE status = 'final')
     SELECT q.id, q.name, q.tag, q.region, COUNT(*)::int AS matches_played,
            COUNT(*) FILTER (WHERE pf > pa)::int AS wins, COUNT(*) FILTER (WHERE pf < pa)::int AS losses,
            COUNT(*) FILTER (WHERE pf = pa)::int AS draws,
            round(COUNT(*) FILTER (WHERE pf > pa)::numeric / COUNT(*), 3)::float8 AS win_rate,
            SUM(pf)::int AS points_for, SUM(pa)::int AS points_against
       FROM squads q JOIN sides ON sides.squad_id = q.id
      WHERE ($1::text IS NULL OR q.region = $1)
        AND ($2::timestamptz IS NULL OR played_at >= $2) AND ($3::timestamptz IS NULL OR played_at < $3)
      GROUP BY q.id HAVING COUNT(*) >= $4`,
    [filter.region ?? null, filter.since ?? null, filter.until ?? null, filter.min ?? 1],
  );
  rows.sort((a, b) => b.win_rate - a.win_rate || b.points_for - a.points_for || a.id - b.id);
  return rows.map((row, index) => ({ rank: index + 1, ...row }));
}

describe.each(['legacy', 'modern'] as const)('matches tools over MCP (%s era)', (era) => {
  it('lists the four match tools with schemas, annotations and a version', async () => {
    const { tools } = await clients.get(era)!.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ['get_match', 'list_recent_matches', 'get_leaderboard', 'get_squad_rankings']) {
      expect(byName.get(name)).toMatchObject({ annotations: { readOnlyHint: true, idempotentHint: true }, _meta: { version: '1.0.0' } });
    }
    expect(byName.get('get_leaderboard')!.inputSchema).toMatchObject({
      required: ['metric'],
      additionalProperties: false,
      properties: { metric: { enum: [...METRICS] }, min_matches: { type: 'integer', minimum: 1, maximum: 1000 } },
    });
  });

  it('returns a final match with its stat lines, home side first, as structured content and text', async () => {
    const { rows } = await app.db.query<{ id: number; home_squad_id: number }>(
      "SELECT id, home_squad_id FROM matches WHERE status = 'final' ORDER BY played_at DESC, id DESC LIMIT 1",
    );
    const match = rows[0]!;
    const lines = await app.db.query(
      `SELECT player_id, squad_id, eliminations, times_eliminated, flag_captures FROM match_player_stats
        WHERE match_id = $1 ORDER BY squad_id <> $2, player_id`,
      [match.id, match.home_squad_id],
    );
    const head = await app.db.query(
      `SELECT id, event_id, field_id, to_char(played_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS played_at, format,
              home_squad_id, away_squad_id, home_score, away_score, status FROM matches WHERE id = $1`,
      [match.id],
    );
    const result = await call(era, 'get_match', { match_id: match.id });
    expect(result.isError).toBe(false);
    expect(result.body).toEqual({ ...head.rows[0], player_stats: lines.rows });
    expect(lines.rows.length).toBeGreaterThan(0);
    expect(JSON.parse(result.text)).toEqual(result.body);
  });

  it('answers an unknown match with not_found and a suggestion', async () => {
    const { body } = await call(era, 'get_match', { match_id: 99_999_999 });
    expect(body).toMatchObject({
      error: 'Match 99999999 not found',
      code: 'not_found',
      suggestions: ["Use list_recent_matches to find a match's id"],
    });
  });
});

describe('get_match', () => {
  it('returns a scheduled match without scores or stat lines', async () => {
    const { rows } = await app.db.query<{ id: number }>("SELECT id FROM matches WHERE status = 'scheduled' ORDER BY id LIMIT 1");
    const { body } = await call('modern', 'get_match', { match_id: rows[0]!.id });
    expect(body).toMatchObject({ id: rows[0]!.id, status: 'scheduled', home_score: null, away_score: null, player_stats: [] });
  });
});

describe('list_recent_matches', () => {
  const ids = (items: { id: number }[]) => items.map((item) => item.id);

  it('lists final matches newest first, and pages add up with an exact total', async () => {
    const { rows } = await app.db.query<{ id: number }>("SELECT id FROM matches WHERE status = 'final' ORDER BY played_at DESC, id DESC");
    const whole = await page<{ id: number; status: string }>('list_recent_matches', { limit: 20 });
    const first = await page<{ id: number }>('list_recent_matches', { limit: 10 });
    const second = await page<{ id: number }>('list_recent_matches', { limit: 10, offset: 10 }, 'legacy');
    expect(ids([...first.items, ...second.items])).toEqual(ids(whole.items));
    expect(ids(whole.items)).toEqual(rows.slice(0, 20).map((row) => row.id));
    expect(whole.items.every((item) => item.status === 'final')).toBe(true);
    expect(first).toMatchObject({ limit: 10, offset: 0, total_count: rows.length, has_more: true });
    const past = await page('list_recent_matches', { offset: rows.length });
    expect(past).toMatchObject({ items: [], total_count: rows.length, has_more: false });
  });

  it("filters by a squad's home and away matches, a field, and [since, until)", async () => {
    const squad = await app.db.query<{ id: number }>(
      `SELECT id FROM matches WHERE status = 'final' AND (home_squad_id = $1 OR away_squad_id = $1)
         AND played_at >= $2 AND played_at < $3 ORDER BY played_at DESC, id DESC`,
      [busySquadId, window.since, window.until],
    );
    const got = await page<{ id: number }>('list_recent_matches', { squad_id: busySquadId, ...window, limit: 1000 });
    expect(ids(got.items)).toEqual(squad.rows.map((row) => row.id));
    expect(got.total_count).toBe(squad.rows.length);
    const field = await app.db.query<{ field_id: number; n: number }>(
      "SELECT field_id, COUNT(*)::int AS n FROM matches WHERE status = 'final' GROUP BY field_id ORDER BY n DESC, field_id LIMIT 1",
    );
    const onField = await page<{ field_id: number }>('list_recent_matches', { field_id: field.rows[0]!.field_id, limit: 1000 });
    expect(onField.total_count).toBe(field.rows[0]!.n);
    expect(onField.items.every((item) => item.field_id === field.rows[0]!.field_id)).toBe(true);
  });

  it('answers an unknown squad or field with not_found, and since after until with invalid_input', async () => {
    expect((await call('modern', 'list_recent_matches', { squad_id: 99_999 })).body).toMatchObject({
      code: 'not_found',
      error: 'Squad 99999 not found',
      suggestions: ["Use list_squads to find a squad's id"],
    });
    expect((await call('modern', 'list_recent_matches', { field_id: 99_999 })).body).toMatchObject({ code: 'not_found', error: 'Field 99999 not found' });
    const { body } = await call('legacy', 'list_recent_matches', { since: '2026-02-01', until: '2026-01-01' });
    expect(body).toMatchObject({ code: 'invalid_input', details: [{ field: 'since', message: 'since must not be after until' }] });
  });
});

describe('get_leaderboard', () => {
  it.each(METRICS)('ranks every player by %s exactly as independent SQL does', async (metric) => {
    const expected = await expectedLeaderboard(metric, {});
    const got = await page('get_leaderboard', { metric, limit: 1000 });
    expect(got.items).toEqual(expected);
    expect(got).toMatchObject({ total_count: expected.length, has_more: false });
    expect(expected.length).toBeGreaterThan(100);
  });

  it.each(METRICS)('filters %s by region, [since, until) and min_matches', async (metric) => {
    const { rows } = await app.db.query<{ region: string }>('SELECT region FROM players GROUP BY region ORDER BY COUNT(*) DESC, region LIMIT 1');
    const filter = { region: rows[0]!.region, ...window, min: 3 };
    const expected = await expectedLeaderboard(metric, filter);
    const got = await page('get_leaderboard', { metric, region: filter.region, ...window, min_matches: 3, limit: 1000 }, 'legacy');
    expect(got.items).toEqual(expected);
    expect(got.total_count).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(5);
  });

  it('numbers ranks over the whole ranking, so a later page starts at offset + 1', async () => {
    const whole = await page<{ rank: number }>('get_leaderboard', { metric: 'elimination_ratio', min_matches: 2, limit: 30 });
    const second = await page<{ rank: number }>('get_leaderboard', { metric: 'elimination_ratio', min_matches: 2, limit: 10, offset: 10 });
    expect(second.items).toEqual(whole.items.slice(10, 20));
    expect(second.items[0]!.rank).toBe(11);
    expect(second).toMatchObject({ offset: 10, total_count: whole.total_count, has_more: true });
    const past = await page('get_leaderboard', { metric: 'wins', min_matches: 2, offset: whole.total_count });
    expect(past).toMatchObject({ items: [], total_count: whole.total_count, has_more: false });
  });

  it('refuses an unknown metric, a missing metric and out-of-range min_matches', async () => {
    const allowed = 'metric must be one of: eliminations, elimination_ratio, wins, flag_captures';
    expect((await call('modern', 'get_leaderboard', { metric: 'headshots' })).body).toMatchObject({
      code: 'invalid_input',
      details: [{ field: 'metric', message: allowed }],
    });
    expect((await call('modern', 'get_leaderboard', {})).body).toMatchObject({ code: 'invalid_input', details: [{ field: 'metric' }] });
    expect((await call('modern', 'get_leaderboard', { metric: 'wins', min_matches: 0 })).body).toMatchObject({
      details: [{ field: 'min_matches', message: 'min_matches must not be less than 1' }],
    });
    expect((await call('modern', 'get_leaderboard', { metric: 'wins', min_matches: 1001 })).body).toMatchObject({ code: 'invalid_input' });
    expect((await call('modern', 'get_leaderboard', { metric: 'wins', since: '2026-03-01', until: '2026-02-01' })).body).toMatchObject({
      details: [{ field: 'since' }],
    });
  });
});

describe('get_squad_rankings', () => {
  it('ranks every squad by win rate, then points for, exactly as independent SQL does', async () => {
    const expected = await expectedRankings({});
    const got = await page('get_squad_rankings', { limit: 1000 });
    expect(got.items).toEqual(expected);
    expect(got.total_count).toBe(expected.length);
    const { rows } = await app.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM squads');
    expect(expected.length).toBe(rows[0]!.n);
  });

  it('filters by region, [since, until) and min_matches', async () => {
    const { rows } = await app.db.query<{ region: string }>('SELECT region FROM squads GROUP BY region ORDER BY COUNT(*) DESC, region LIMIT 1');
    const expected = await expectedRankings({ region: rows[0]!.region, ...window, min: 5 });
    const got = await page('get_squad_rankings', { region: rows[0]!.region, ...window, min_matches: 5, limit: 1000 }, 'legacy');
    expect(got.items).toEqual(expected);
    expect(expected.length).toBeGreaterThan(1);
  });

  it('pages add up, keep their ranks, and a page past the end is empty', async () => {
    const whole = await page('get_squad_rankings', { limit: 20 });
    const first = await page('get_squad_rankings', { limit: 10 });
    const second = await page('get_squad_rankings', { limit: 10, offset: 10 });
    expect([...first.items, ...second.items]).toEqual(whole.items);
    expect(second.items[0]).toMatchObject({ rank: 11 });
    const past = await page('get_squad_rankings', { offset: whole.total_count });
    expect(past).toMatchObject({ items: [], total_count: whole.total_count, has_more: false });
  });
});

describe('REST mirror', () => {
  it('gives the same leaderboard as MCP', async () => {
    const args = { metric: 'wins', min_matches: 2, limit: 5, offset: 5 };
    const viaMcp = await page('get_leaderboard', args);
    const viaRest = await request(app.url).post('/v1/mcp/get_leaderboard').set({ Authorization: `Bearer ${SERVICE_KEY}` }).send(args);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(viaMcp);
  });

  it('answers an unknown metric with 400 invalid_input', async () => {
    const res = await request(app.url).post('/v1/mcp/get_leaderboard').set({ Authorization: `Bearer ${SERVICE_KEY}` }).send({ metric: 'kills' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'metric' }] });
  });
});

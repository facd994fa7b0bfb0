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

interface Member {
  id: number;
  role: string;
  joined_at: string;
  left_at: string | null;
  current: boolean;
}

interface H2hMatch {
  id: number;
  home_squad_id: number;
  home_score: number;
  away_score: number;
  result: string;
}

let app: TestApp;
const clients = new Map<Era, Client>();
let rivals: { a: number; b: number; n: number };

beforeAll(async () => {
  app = await startTestApp();
  for (const era of ['legacy', 'modern'] as const) {
    clients.set(era, await connectMcp(app.url, SERVICE_KEY, era));
  }
  const { rows } = await app.db.query<{ a: number; b: number; n: number }>(
    `SELECT LEAST(home_squad_id, away_squad_id) AS a, GREATEST(home_squad_id, away_squad_id) AS b, COUNT(*)::int AS n
       FROM matches WHERE status = 'final' GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 1`,
  );
  rivals = rows[0]!;
});

afterAll(async () => {
  for (const client of clients.values()) {
    await client.close();
  }
  await app.close();
});

async function call<T = Record<string, unknown>>(era: Era, name: string, args: Record<string, unknown>) {
  const result = await clients.get(era)!.callTool({ name, arguments: args });
  return { isError: result.isError === true, body: toolBody<T>(result), text: (result.content as { text: string }[])[0]!.text };
}

const NOT_FOUND_HINT = ["Use list_squads to find a squad's id"];

describe.each(['legacy', 'modern'] as const)('squads tools over MCP (%s era)', (era) => {
  it('lists the five squad tools with schemas, annotations and a version', async () => {
    const { tools } = await clients.get(era)!.listTools();
    const names = ['get_squad', 'list_squads', 'get_squad_roster', 'get_squad_record', 'get_head_to_head'];
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(names));
    for (const tool of tools.filter((candidate) => names.includes(candidate.name))) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      expect(tool._meta).toMatchObject({ version: '1.0.0' });
    }
    const h2h = tools.find((tool) => tool.name === 'get_head_to_head')!;
    expect(h2h.inputSchema).toMatchObject({ required: expect.arrayContaining(['squad_id', 'opponent_squad_id']) as unknown });
    expect(h2h.outputSchema).toMatchObject({
      properties: { wins: { type: 'integer' }, items: { type: 'array' }, total_count: { type: 'integer' }, opponent_squad_id: { type: 'integer' } },
    });
  });

  it('returns a squad profile matching the database, founded_on as a date and created_at in ISO 8601', async () => {
    const { rows } = await app.db.query<Record<string, unknown> & { created_at: Date }>(
      `SELECT id, name, tag, region, home_field_id, captain_player_id, to_char(founded_on, 'YYYY-MM-DD') AS founded_on,
              is_recruiting, description, created_at FROM squads WHERE id = 3`,
    );
    const result = await call(era, 'get_squad', { squad_id: 3 });
    expect(result.isError).toBe(false);
    expect(result.body).toEqual({ ...rows[0], created_at: rows[0]!.created_at.toISOString() });
    expect(JSON.parse(result.text)).toEqual(result.body);
  });

  it('answers an unknown squad id with not_found and a suggestion', async () => {
    const result = await call(era, 'get_squad', { squad_id: 99_999_999 });
    expect(result.isError).toBe(true);
    expect(result.body).toMatchObject({ error: 'Squad 99999999 not found', code: 'not_found', suggestions: NOT_FOUND_HINT });
  });
});

describe('list_squads', () => {
  const SQUADS = `SELECT s.id, s.name, s.tag, s.region, s.is_recruiting,
                         (SELECT COUNT(*)::int FROM squad_members sm WHERE sm.squad_id = s.id AND sm.left_at IS NULL) AS member_count
                    FROM squads s
                   WHERE ($1::text IS NULL OR s.name ILIKE $1) AND ($2::text IS NULL OR s.region = $2)
                     AND ($3::boolean IS NULL OR s.is_recruiting = $3)
                   ORDER BY s.name, s.id`;

  it('finds squads by a name fragment, case-insensitively, with current member counts, ordered by name then id', async () => {
    const { rows } = await app.db.query<{ name: string }>('SELECT name FROM squads ORDER BY id LIMIT 1');
    const fragment = rows[0]!.name.slice(1, 4).toUpperCase();
    const expected = await app.db.query(SQUADS, ['%' + fragment + '%', null, null]);
    const { body } = await call<Page<unknown>>('modern', 'list_squads', { query: fragment, limit: 1000 });
    expect(body.items).toEqual(expected.rows);
    expect(body.total_count).toBe(expected.rows.length);
    expect(expected.rows.length).toBeGreaterThan(0);
  });

  it('filters by region and recruiting', async () => {
    const { rows } = await app.db.query<{ region: string }>(
      'SELECT region FROM squads WHERE is_recruiting GROUP BY region ORDER BY COUNT(*) DESC, region LIMIT 1',
    );
    const region = rows[0]!.region;
    for (const recruiting of [true, false]) {
      const expected = await app.db.query(SQUADS, [null, region, recruiting]);
      const { body } = await call<Page<unknown>>('legacy', 'list_squads', { region, recruiting, limit: 1000 });
      expect(body.items).toEqual(expected.rows);
      expect(body.total_count).toBe(expected.rows.length);
    }
  });

  it('treats LIKE wildcards in the query as plain text', async () => {
    const { body } = await call<Page<unknown>>('modern', 'list_squads', { query: '%_%' });
    expect(body).toMatchObject({ items: [], total_count: 0, has_more: false });
  });

  it('pages add up to a bigger page, total_count is exact, and a page past the end is empty', async () => {
    const whole = (await call<Page<{ id: number }>>('modern', 'list_squads', { limit: 20 })).body;
    const first = (await call<Page<{ id: number }>>('modern', 'list_squads', { limit: 10 })).body;
    const second = (await call<Page<{ id: number }>>('legacy', 'list_squads', { limit: 10, offset: 10 })).body;
    expect([...first.items, ...second.items]).toEqual(whole.items);
    const { rows } = await app.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM squads');
    expect(first).toMatchObject({ limit: 10, offset: 0, total_count: rows[0]!.n, has_more: true });
    const past = (await call<Page<unknown>>('modern', 'list_squads', { offset: rows[0]!.n })).body;
    expect(past).toMatchObject({ items: [], total_count: rows[0]!.n, has_more: false });
  });

  it('rejects a recruiting flag that is not a boolean and a limit out of bounds', async () => {
    const flag = await call('modern', 'list_squads', { recruiting: 'yes' });
    expect(flag.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'recruiting' }] });
    const limit = await call('modern', 'list_squads', { limit: 0 });
    expect(limit.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'limit', message: 'limit must not be less than 1' }] });
  });
});

describe('get_squad_roster', () => {
  const ROSTER = `SELECT m.player_id AS id, p.callsign, p.display_name, m.role, m.joined_at, m.left_at
                    FROM squad_members m JOIN players p ON p.id = m.player_id
                   WHERE m.squad_id = $1 AND ($2 OR m.left_at IS NULL)
                   ORDER BY array_position(ARRAY['captain', 'co_captain', 'member', 'recruit'], m.role), m.joined_at, m.player_id`;

  async function expectedRoster(squadId: number, includeFormer: boolean) {
    const { rows } = await app.db.query<{ joined_at: Date; left_at: Date | null }>(ROSTER, [squadId, includeFormer]);
    return rows.map((row) => ({
      ...row,
      joined_at: row.joined_at.toISOString(),
      left_at: row.left_at?.toISOString() ?? null,
      current: row.left_at === null,
    }));
  }

  it('lists current members only, by role, then joined_at, then player id', async () => {
    const { body } = await call<{ squad_id: number; members: Member[] }>('modern', 'get_squad_roster', { squad_id: 2 });
    expect(body.squad_id).toBe(2);
    expect(body.members).toEqual(await expectedRoster(2, false));
    expect(body.members.length).toBeGreaterThan(0);
    expect(body.members.every((member) => member.current && member.left_at === null)).toBe(true);
  });

  it('adds former members when include_former is true', async () => {
    const { rows } = await app.db.query<{ squad_id: number }>(
      'SELECT squad_id FROM squad_members WHERE left_at IS NOT NULL GROUP BY squad_id ORDER BY COUNT(*) DESC, squad_id LIMIT 1',
    );
    const squadId = rows[0]!.squad_id;
    const { body } = await call<{ members: Member[] }>('legacy', 'get_squad_roster', { squad_id: squadId, include_former: true });
    expect(body.members).toEqual(await expectedRoster(squadId, true));
    expect(body.members.some((member) => !member.current && member.left_at !== null)).toBe(true);
  });

  it('answers an unknown squad with not_found', async () => {
    const { body } = await call('modern', 'get_squad_roster', { squad_id: 77_777_777 });
    expect(body).toMatchObject({ code: 'not_found', error: 'Squad 77777777 not found', suggestions: NOT_FOUND_HINT });
  });
});

describe('get_squad_record', () => {
  interface Record {
    squad_id: number;
    matches_played: number;
    wins: number;
    losses: number;
    draws: number;
    points_for: number;
    points_against: number;
    streak: number;
  }

  // Each squad's final matches in [$1, $2), from its side; NULLs for a squad without any.
  const TOTALS = `SELECT s.id AS squad_id, COUNT(m.id)::int AS matches_played,
                         COUNT(*) FILTER (WHERE m.home_squad_id = s.id AND m.home_score > m.away_score
                                             OR m.away_squad_id = s.id AND m.away_score > m.home_score)::int AS wins,
                         COUNT(*) FILTER (WHERE m.home_squad_id = s.id AND m.home_score < m.away_score
                                             OR m.away_squad_id = s.id AND m.away_score < m.home_score)::int AS losses,
                         COUNT(*) FILTER (WHERE m.home_score = m.away_score)::int AS draws,
                         COALESCE(SUM(CASE WHEN m.home_squad_id = s.id THEN m.home_score ELSE m.away_score END), 0)::int AS points_for,
                         COALESCE(SUM(CASE WHEN m.home_squad_id = s.id THEN m.away_score ELSE m.home_score END), 0)::int AS points_against
                    FROM squads s LEFT JOIN matches m ON m.status = 'final' AND s.id IN (m.home_squad_id, m.away_squad_id)
                     AND ($1::timestamptz IS NULL OR m.played_at >= $1) AND ($2::timestamptz IS NULL OR m.played_at < $2)
                   GROUP BY s.id`;
  const NEWEST_FIRST = `SELECT s.id AS squad_id,
                               SIGN(CASE WHEN m.home_squad_id = s.id THEN m.home_score - m.away_score
                                         ELSE m.away_score - m.home_score END)::int AS sign
                          FROM squads s JOIN matches m ON m.status = 'final' AND s.id IN (m.home_squad_id, m.away_squad_id)
                           AND ($1::timestamptz IS NULL OR m.played_at >= $1) AND ($2::timestamptz IS NULL OR m.played_at < $2)
                         ORDER BY s.id, m.played_at DESC, m.id DESC`;

  /** Totals by GROUP BY, and the streak walked along each squad's results, newest first. */
  async function expectedRecords(since: Date | null, until: Date | null): Promise<Map<number, Record>> {
    const totals = await app.db.query<Record>(TOTALS, [since, until]);
    const results = await app.db.query<{ squad_id: number; sign: number }>(NEWEST_FIRST, [since, until]);
    const records = new Map(totals.rows.map((row) => [row.squad_id, { ...row, streak: 0 }]));
    const settled = new Set<number>();
    for (const { squad_id: squadId, sign } of results.rows) {
      const record = records.get(squadId)!;
      if (settled.has(squadId)) {
        continue;
      }
      if (sign !== 0 && (record.streak === 0 || Math.sign(record.streak) === sign)) {
        record.streak += sign;
      } else {
        settled.add(squadId);
      }
    }
    return records;
  }

  it("agrees with independent SQL for every squad, including the signed streak", async () => {
    const expected = await expectedRecords(null, null);
    for (const record of expected.values()) {
      const { body } = await call<Record>('modern', 'get_squad_record', { squad_id: record.squad_id });
      expect(body).toEqual(record);
    }
    const streaks = [...expected.values()].map((record) => record.streak);
    expect(Math.max(...streaks)).toBeGreaterThan(1);
    expect(Math.min(...streaks)).toBeLessThan(-1);
  });

  it('restricts to [since, until) and agrees with SQL', async () => {
    const { rows } = await app.db.query<{ played_at: Date }>(
      `SELECT played_at FROM matches WHERE status = 'final' AND $1 IN (home_squad_id, away_squad_id)
        ORDER BY played_at DESC, id DESC LIMIT 8`,
      [rivals.a],
    );
    const since = rows[7]!.played_at;
    const until = rows[0]!.played_at;
    const expected = (await expectedRecords(since, until)).get(rivals.a)!;
    const { body } = await call<Record>('legacy', 'get_squad_record', {
      squad_id: rivals.a,
      since: since.toISOString(),
      until: until.toISOString(),
    });
    expect(body).toEqual(expected);
    expect(body.matches_played).toBe(7);
  });

  it('reports zeros and a streak of 0 when the squad played no final match in the range', async () => {
    const { body } = await call('modern', 'get_squad_record', { squad_id: rivals.a, since: '1990-01-01', until: '1991-01-01' });
    expect(body).toEqual({ squad_id: rivals.a, matches_played: 0, wins: 0, losses: 0, draws: 0, points_for: 0, points_against: 0, streak: 0 });
  });

  it('refuses since after until and answers not_found for an unknown squad', async () => {
    const range = await call('modern', 'get_squad_record', { squad_id: 1, since: '2026-02-01', until: '2026-01-01' });
    expect(range.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'since', message: 'since must not be after until' }] });
    const missing = await call('modern', 'get_squad_record', { squad_id: 2_000_000_000 });
    expect(missing.body).toMatchObject({ code: 'not_found', error: 'Squad 2000000000 not found', suggestions: NOT_FOUND_HINT });
  });
});

describe('get_head_to_head', () => {
  type HeadToHead = Page<H2hMatch> & { wins: number; losses: number; draws: number; points_for: number; points_against: number };

  async function expectedMatches(squadId: number, opponentId: number) {
    const { rows } = await app.db.query<H2hMatch & { played_at: Date }>(
      `SELECT id, played_at, field_id, event_id, home_squad_id, away_squad_id, home_score, away_score,
              CASE SIGN(CASE WHEN home_squad_id = $1 THEN home_score - away_score ELSE away_score - home_score END)
                   WHEN 1 THEN 'win' WHEN -1 THEN 'loss' ELSE 'draw' END AS result
         FROM matches WHERE status = 'final' AND home_squad_id IN ($1, $2) AND away_squad_id IN ($1, $2)
        ORDER BY played_at DESC, id DESC`,
      [squadId, opponentId],
    );
    return rows.map((row) => ({ ...row, played_at: row.played_at.toISOString() }));
  }

  it("gives the pair's record from squad_id's side and their matches newest first, paged", async () => {
    const matches = await expectedMatches(rivals.a, rivals.b);
    const first = (await call<HeadToHead>('modern', 'get_head_to_head', { squad_id: rivals.a, opponent_squad_id: rivals.b, limit: 5 })).body;
    const rest = (
      await call<HeadToHead>('legacy', 'get_head_to_head', { squad_id: rivals.a, opponent_squad_id: rivals.b, limit: 1000, offset: 5 })
    ).body;
    expect([...first.items, ...rest.items]).toEqual(matches);
    const pointsFor = matches.reduce((sum, m) => sum + (m.home_squad_id === rivals.a ? m.home_score : m.away_score), 0);
    const pointsAgainst = matches.reduce((sum, m) => sum + (m.home_squad_id === rivals.a ? m.away_score : m.home_score), 0);
    expect(first).toMatchObject({
      squad_id: rivals.a,
      opponent_squad_id: rivals.b,
      wins: matches.filter((m) => m.result === 'win').length,
      losses: matches.filter((m) => m.result === 'loss').length,
      draws: matches.filter((m) => m.result === 'draw').length,
      points_for: pointsFor,
      points_against: pointsAgainst,
      limit: 5,
      offset: 0,
      total_count: rivals.n,
      has_more: true,
    });
    expect(rest).toMatchObject({ offset: 5, total_count: rivals.n, has_more: false });
    expect(matches.length).toBe(rivals.n);
  });

  it("mirrors the record from the opponent's side, and a page past the end is empty", async () => {
    const ours = (await call<HeadToHead>('modern', 'get_head_to_head', { squad_id: rivals.a, opponent_squad_id: rivals.b })).body;
    const theirs = (await call<HeadToHead>('modern', 'get_head_to_head', { squad_id: rivals.b, opponent_squad_id: rivals.a })).body;
    expect(theirs).toMatchObject({ wins: ours.losses, losses: ours.wins, draws: ours.draws, points_for: ours.points_against });
    const past = (await call<HeadToHead>('modern', 'get_head_to_head', { squad_id: rivals.a, opponent_squad_id: rivals.b, offset: rivals.n }))
      .body;
    expect(past).toMatchObject({ items: [], total_count: rivals.n, has_more: false });
  });

  it('reports zeros for two squads that never met', async () => {
    const { rows } = await app.db.query<{ a: number; b: number }>(
      `SELECT x.id AS a, y.id AS b FROM squads x JOIN squads y ON x.id < y.id
        WHERE NOT EXISTS (SELECT 1 FROM matches m WHERE m.status = 'final' AND m.home_squad_id IN (x.id, y.id) AND m.away_squad_id IN (x.id, y.id))
        ORDER BY x.id, y.id LIMIT 1`,
    );
    const { a, b } = rows[0]!;
    const { body } = await call('modern', 'get_head_to_head', { squad_id: a, opponent_squad_id: b });
    expect(body).toEqual({
      squad_id: a,
      opponent_squad_id: b,
      wins: 0,
      losses: 0,
      draws: 0,
      points_for: 0,
      points_against: 0,
      items: [],
      limit: 10,
      offset: 0,
      total_count: 0,
      has_more: false,
      next_offset: null,
    });
  });

  it('refuses a squad against itself and names the unknown squad', async () => {
    const self = await call('modern', 'get_head_to_head', { squad_id: 3, opponent_squad_id: 3 });
    expect(self.body).toMatchObject({
      code: 'invalid_input',
      details: [{ field: 'opponent_squad_id', message: 'opponent_squad_id must differ from squad_id' }],
    });
    const opponent = await call('modern', 'get_head_to_head', { squad_id: 3, opponent_squad_id: 88_888_888 });
    expect(opponent.body).toMatchObject({ code: 'not_found', error: 'Opponent squad 88888888 not found', suggestions: NOT_FOUND_HINT });
    const squad = await call('legacy', 'get_head_to_head', { squad_id: 88_888_888, opponent_squad_id: 3 });
    expect(squad.body).toMatchObject({ code: 'not_found', error: 'Squad 88888888 not found', suggestions: NOT_FOUND_HINT });
  });
});

describe('REST mirror', () => {
  const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

  it.each([
    ['get_head_to_head', () => ({ squad_id: rivals.a, opponent_squad_id: rivals.b, limit: 3 })],
    ['get_squad_record', () => ({ squad_id: rivals.b, since: '2020-01-01' })],
    ['get_squad_roster', () => ({ squad_id: rivals.a, include_former: true })],
  ])('%s gives the same answer as MCP', async (tool, args) => {
    const viaMcp = await call('modern', tool, args());
    const viaRest = await request(app.url).post(`/v1/mcp/${tool}`).set(auth).send(args());
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(viaMcp.body);
  });

  it('answers an unknown squad with 404 and the suggestion', async () => {
    const res = await request(app.url).post('/v1/mcp/get_squad').set(auth).send({ squad_id: 99_999_999 });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', error: 'Squad 99999999 not found', suggestions: NOT_FOUND_HINT });
  });
});

import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { connectMcp, type Era, structured, toolBody } from './support/mcp-client';
import { ADMIN_KEY, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  total_count: number;
  has_more: boolean;
}

let app: TestApp;
const clients = new Map<Era, Client>();
let busiestPlayerId: number;

beforeAll(async () => {
  app = await startTestApp();
  for (const era of ['legacy', 'modern'] as const) {
    clients.set(era, await connectMcp(app.url, SERVICE_KEY, era));
  }
  const { rows } = await app.db.query<{ player_id: number }>(
    `SELECT s.player_id FROM match_player_stats s JOIN matches m ON m.id = s.match_id
     WHERE m.status = 'final' GROUP BY s.player_id ORDER BY COUNT(*) DESC, s.player_id LIMIT 1`,
  );
  busiestPlayerId = rows[0]!.player_id;
});

afterAll(async () => {
  for (const client of clients.values()) {
    await client.close();
  }
  await app.close();
});

function mcp(era: Era): Client {
  return clients.get(era)!;
}

async function call<T = Record<string, unknown>>(era: Era, name: string, args: Record<string, unknown>) {
  const result = await mcp(era).callTool({ name, arguments: args });
  return { isError: result.isError === true, body: toolBody<T>(result), text: (result.content as { text: string }[])[0]!.text };
}

describe.each(['legacy', 'modern'] as const)('players tools over MCP (%s era)', (era) => {
  it('lists the four player tools with schemas, annotations and a version', async () => {
    const { tools } = await mcp(era).listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['get_player', 'search_players', 'get_player_stats', 'list_player_matches']));
    const stats = tools.find((tool) => tool.name === 'get_player_stats')!;
    expect(stats.title).toBe("Get a player's career stats");
    expect(stats.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(stats._meta).toMatchObject({ version: '1.0.0' });
    expect(stats.inputSchema).toMatchObject({
      type: 'object',
      required: ['player_id'],
      additionalProperties: false,
      properties: { player_id: { type: 'integer', minimum: 1 } },
    });
    expect(stats.outputSchema).toMatchObject({ type: 'object', properties: { win_rate: { type: 'number' } } });
  });

  it('returns a player profile as structured content and the same JSON as text', async () => {
    const { rows } = await app.db.query('SELECT id, callsign, display_name, region, skill_rating FROM players WHERE id = 7');
    const result = await call(era, 'get_player', { player_id: 7 });
    expect(result.isError).toBe(false);
    expect(result.body).toMatchObject(rows[0]);
    expect(result.body).not.toHaveProperty('email');
    expect(JSON.parse(result.text)).toEqual(result.body);
  });

  it('answers an unknown player id with not_found and a suggestion', async () => {
    const result = await call(era, 'get_player', { player_id: 99_999_999 });
    expect(result.isError).toBe(true);
    expect(result.body).toMatchObject({
      error: 'Player 99999999 not found',
      status: 'not_found',
      code: 'not_found',
      details: [],
      suggestions: ["Use search_players to find a player's id"],
    });
    expect(typeof result.body.request_id).toBe('string');
  });

  it('rejects a string where an integer id is expected, without coercion', async () => {
    const result = await call(era, 'get_player_stats', { player_id: '7' });
    expect(result.isError).toBe(true);
    expect(result.body).toMatchObject({ code: 'invalid_input', status: 'error' });
    expect(result.body.details).toEqual([{ field: 'player_id', message: 'player_id must be an integer' }]);
  });

  it('rejects unknown arguments', async () => {
    const result = await call(era, 'search_players', { name: 'x' });
    expect(result.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'name', message: 'unknown field' }] });
  });

  it('answers an unknown tool with a JSON-RPC error', async () => {
    await expect(mcp(era).callTool({ name: 'drop_tables', arguments: {} })).rejects.toThrow(/drop_tables/);
  });
});

describe('get_player_stats', () => {
  it('agrees with an independent SQL aggregate over final matches', async () => {
    const { rows } = await app.db.query(
      `SELECT COUNT(*)::int AS matches_played,
              COUNT(*) FILTER (WHERE (CASE WHEN s.squad_id = m.home_squad_id THEN m.home_score - m.away_score
                                          ELSE m.away_score - m.home_score END) > 0)::int AS wins,
              COUNT(*) FILTER (WHERE (CASE WHEN s.squad_id = m.home_squad_id THEN m.home_score - m.away_score
                                          ELSE m.away_score - m.home_score END) < 0)::int AS losses,
              COUNT(*) FILTER (WHERE m.home_score = m.away_score)::int AS draws,
              SUM(s.eliminations)::int AS eliminations, SUM(s.times_eliminated)::int AS times_eliminated,
              SUM(s.flag_captures)::int AS flag_captures
         FROM match_player_stats s JOIN matches m ON m.id = s.match_id
        WHERE s.player_id = $1 AND m.status = 'final'`,
      [busiestPlayerId],
    );
    const expected = rows[0] as Record<string, number>;
    const { body } = await call('modern', 'get_player_stats', { player_id: busiestPlayerId });
    expect(body).toMatchObject({ player_id: busiestPlayerId, ...expected });
    expect(body.win_rate).toBeCloseTo(expected.wins! / expected.matches_played!, 3);
    expect(body.elimination_ratio).toBeCloseTo(expected.eliminations! / Math.max(expected.times_eliminated!, 1), 3);
    expect(expected.matches_played).toBeGreaterThan(0);
  });

  it('restricts to [since, until) and agrees with SQL', async () => {
    const { rows } = await app.db.query<{ n: number; since: Date; until: Date }>(
      `SELECT COUNT(*)::int AS n, MIN(m.played_at) AS since, MAX(m.played_at) AS until
         FROM match_player_stats s JOIN matches m ON m.id = s.match_id
        WHERE s.player_id = $1 AND m.status = 'final'`,
      [busiestPlayerId],
    );
    const { since, until, n } = rows[0]!;
    const { body } = await call('legacy', 'get_player_stats', {
      player_id: busiestPlayerId,
      since: since.toISOString(),
      until: until.toISOString(),
    });
    // The newest match is excluded by the half-open range.
    expect(body.matches_played).toBe(n - 1);
  });

  it('refuses since after until', async () => {
    const { body } = await call('modern', 'get_player_stats', { player_id: 1, since: '2026-02-01', until: '2026-01-01' });
    expect(body).toMatchObject({ code: 'invalid_input', details: [{ field: 'since', message: 'since must not be after until' }] });
  });

  it('reports zeros for a player without matches and not_found for an unknown one', async () => {
    const { rows } = await app.db.query<{ id: number }>(
      'SELECT p.id FROM players p WHERE NOT EXISTS (SELECT 1 FROM match_player_stats s WHERE s.player_id = p.id) ORDER BY p.id LIMIT 1',
    );
    const idle = rows[0]!.id;
    const { body } = await call('modern', 'get_player_stats', { player_id: idle });
    expect(body).toEqual({
      player_id: idle,
      matches_played: 0,
      wins: 0,
      losses: 0,
      draws: 0,
      eliminations: 0,
      times_eliminated: 0,
      elimination_ratio: 0,
      flag_captures: 0,
      win_rate: 0,
    });
    const missing = await call('modern', 'get_player_stats', { player_id: 2_000_000_000 });
    expect(missing.body).toMatchObject({ code: 'not_found' });
  });
});

describe('search_players', () => {
  it('finds players by a callsign fragment, case-insensitively, ordered by callsign then id', async () => {
    const { rows } = await app.db.query<{ callsign: string }>('SELECT callsign FROM players ORDER BY id LIMIT 1');
    const fragment = rows[0]!.callsign.slice(1, 4).toUpperCase();
    const expected = await app.db.query<{ id: number }>(
      `SELECT id FROM players WHERE callsign ILIKE $1 OR display_name ILIKE $1 ORDER BY callsign, id`,
      ['%' + fragment + '%'],
    );
    const { body } = await call<Page<{ id: number }>>('modern', 'search_players', { query: fragment, limit: 1000 });
    expect(body.items.map((item) => item.id)).toEqual(expected.rows.map((row) => row.id));
    expect(body.total_count).toBe(expected.rows.length);
  });

  it('treats LIKE wildcards in the query as plain text', async () => {
    const { body } = await call<Page<unknown>>('modern', 'search_players', { query: '%_%' });
    expect(body).toMatchObject({ items: [], total_count: 0, has_more: false });
  });

  it('filters by region and position', async () => {
    const { rows } = await app.db.query<{ region: string; n: number }>(
      `SELECT region, COUNT(*)::int AS n FROM players WHERE position = 'back' GROUP BY region ORDER BY n DESC, region LIMIT 1`,
    );
    const { region, n } = rows[0]!;
    const { body } = await call<Page<{ region: string; position: string }>>('legacy', 'search_players', {
      region,
      position: 'back',
      limit: 1000,
    });
    expect(body.total_count).toBe(n);
    expect(body.items.every((item) => item.region === region && item.position === 'back')).toBe(true);
  });

  it('pages add up to a bigger page, and a page past the end is empty', async () => {
    const whole = (await call<Page<{ id: number }>>('modern', 'search_players', { limit: 20 })).body;
    const first = (await call<Page<{ id: number }>>('modern', 'search_players', { limit: 10 })).body;
    const second = (await call<Page<{ id: number }>>('modern', 'search_players', { limit: 10, offset: 10 })).body;
    expect([...first.items, ...second.items]).toEqual(whole.items);
    const { rows } = await app.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM players');
    expect(first).toMatchObject({ limit: 10, offset: 0, total_count: rows[0]!.n, has_more: true });
    const past = (await call<Page<unknown>>('modern', 'search_players', { offset: rows[0]!.n })).body;
    expect(past).toMatchObject({ items: [], total_count: rows[0]!.n, has_more: false });
  });

  it('enforces the limit bounds', async () => {
    const { body } = await call('modern', 'search_players', { limit: 1001 });
    expect(body).toMatchObject({ code: 'invalid_input', details: [{ field: 'limit', message: 'limit must not be greater than 1000' }] });
  });
});

describe('list_player_matches', () => {
  it("lists the player's stat lines newest first with exact totals", async () => {
    const { rows } = await app.db.query<{ id: number }>(
      `SELECT m.id FROM match_player_stats s JOIN matches m ON m.id = s.match_id
        WHERE s.player_id = $1 ORDER BY m.played_at DESC, m.id DESC`,
      [busiestPlayerId],
    );
    const first = (await call<Page<{ id: number; result: string }>>('modern', 'list_player_matches', { player_id: busiestPlayerId, limit: 5 })).body;
    const rest = (await call<Page<{ id: number }>>('legacy', 'list_player_matches', { player_id: busiestPlayerId, limit: 1000, offset: 5 })).body;
    expect([...first.items, ...rest.items].map((item) => item.id)).toEqual(rows.map((row) => row.id));
    expect(first.total_count).toBe(rows.length);
    expect(first.has_more).toBe(rows.length > 5);
    expect(rest.has_more).toBe(false);
    expect(['win', 'loss', 'draw', null]).toContain(first.items[0]!.result);
  });

  it('answers not_found for an unknown player', async () => {
    const { body } = await call('modern', 'list_player_matches', { player_id: 123_456_789 });
    expect(body).toMatchObject({ code: 'not_found', suggestions: ["Use search_players to find a player's id"] });
  });
});

describe('roles', () => {
  it('shows the email only to the admin role', async () => {
    const admin = await connectMcp(app.url, ADMIN_KEY, 'modern');
    try {
      const result = await admin.callTool({ name: 'get_player', arguments: { player_id: 7 } });
      const { rows } = await app.db.query<{ email: string }>('SELECT email FROM players WHERE id = 7');
      expect(structured(result)).toMatchObject({ id: 7, email: rows[0]!.email });
    } finally {
      await admin.close();
    }
  });
});

describe('REST mirror', () => {
  const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

  it('gives the same answer as MCP', async () => {
    const viaMcp = await call('modern', 'get_player_stats', { player_id: busiestPlayerId });
    const viaRest = await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: busiestPlayerId });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual(viaMcp.body);
  });

  it('answers bad input with 400 and the error body', async () => {
    const res = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 0 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 'error',
      code: 'invalid_input',
      details: [{ field: 'player_id', message: 'player_id must not be less than 1' }],
      request_id: res.headers['x-request-id'],
    });
  });

  it('answers an unknown player with 404 and an unknown tool with 404', async () => {
    const player = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 99_999_999 });
    expect(player.status).toBe(404);
    expect(player.body).toMatchObject({ code: 'not_found', error: 'Player 99999999 not found' });
    const tool = await request(app.url).post('/v1/mcp/no_such_tool').set(auth).send({});
    expect(tool.status).toBe(404);
    expect(tool.body).toMatchObject({ code: 'not_found' });
  });

  it('answers malformed JSON with 400 invalid_input', async () => {
    const res = await request(app.url)
      .post('/v1/mcp/get_player')
      .set({ ...auth, 'Content-Type': 'application/json' })
      .send('{"player_id": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_input', error: 'Request body is not valid JSON' });
    expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at JSON|node_modules/);
  });

  it('refuses a missing or wrong key with 401 and WWW-Authenticate', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong-key-wrong-key' }, { Authorization: `Basic ${SERVICE_KEY}` }]) {
      const res = await request(app.url).post('/v1/mcp/get_player').set(headers).send({ player_id: 1 });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ error: 'Unauthorized', status: 'unauthorized', code: 'unauthorized' });
    }
  });

  it('echoes a safe X-Request-ID and replaces an unsafe one', async () => {
    const kept = await request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'X-Request-ID': 'abc.123-XYZ_9' }).send({ player_id: 99_999_999 });
    expect(kept.headers['x-request-id']).toBe('abc.123-XYZ_9');
    expect((kept.body as { request_id: string }).request_id).toBe('abc.123-XYZ_9');
    const replaced = await request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'X-Request-ID': 'bad id;drop' }).send({ player_id: 1 });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

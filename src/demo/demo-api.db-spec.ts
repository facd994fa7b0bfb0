import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { Pool } from 'pg';

import { createDatabase, dropDatabase } from '../../test/support/test-database';
import { type DemoApi, startDemoApi } from './demo-api';
import { endPool } from './end-pool';
import { seedDatabase } from './seed';

const NOW = new Date('2025-06-01T12:00:00.000Z');

/** A row as the API renders it: Dates become ISO 8601 strings. */
function asJson(row: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
}

describe('startDemoApi', () => {
  const name = `squad_demo_${randomBytes(4).toString('hex')}`;
  let pool: Pool;
  let api: DemoApi;

  const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${api.url}${path}`, init);
  const json = async (path: string): Promise<unknown> => {
    const response = await get(path);
    expect(response.status).toBe(200);
    return response.json();
  };
  const sqlRow = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>> => {
    const { rows } = await pool.query<Record<string, unknown>>(sql, values);
    return asJson(rows[0] ?? {});
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createDatabase(name), max: 4 });
    await seedDatabase(pool, { now: NOW });
    api = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await api.close();
    await endPool(pool);
    await dropDatabase(name);
  });

  it('listens on a free port and answers its health check', async () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await json('/api/health')).toEqual({ status: 'ok' });
  });

  it('returns a player exactly as stored', async () => {
    expect(await json('/api/players/42')).toEqual(await sqlRow('SELECT * FROM players WHERE id = $1', [42]));
  });

  it('returns a squad with founded_on as a date and created_at as an ISO timestamp', async () => {
    const squad = (await json('/api/squads/7')) as Record<string, unknown>;
    expect(squad).toEqual(await sqlRow("SELECT *, to_char(founded_on, 'YYYY-MM-DD') AS founded_on FROM squads WHERE id = $1", [7]));
    expect(squad.founded_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(squad.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('lists current and former members of a squad, current ones first', async () => {
    const { rows } = await pool.query<{ squad_id: number; members: number }>(
      `SELECT squad_id, count(*)::int AS members FROM squad_members GROUP BY squad_id
       HAVING count(*) FILTER (WHERE left_at IS NOT NULL) > 0 ORDER BY squad_id LIMIT 1`,
    );
    const { squad_id: squadId, members } = rows[0]!;
    const body = (await json(`/api/squads/${squadId}/members`)) as Record<string, unknown>[];
    expect(body).toHaveLength(members);
    expect(Object.keys(body[0]!).sort()).toEqual(
      ['callsign', 'display_name', 'joined_at', 'left_at', 'player_id', 'role', 'squad_id'].sort(),
    );
    const former = body.findIndex((member) => member.left_at !== null);
    expect(former).toBeGreaterThan(0);
    expect(body.slice(former).every((member) => member.left_at !== null)).toBe(true);
    const captain = await sqlRow('SELECT captain_player_id FROM squads WHERE id = $1', [squadId]);
    expect(body).toContainEqual(expect.objectContaining({ player_id: captain.captain_player_id, role: 'captain', left_at: null }));
  });

  it('returns an event exactly as stored', async () => {
    expect(await json('/api/events/3')).toEqual(await sqlRow('SELECT * FROM events WHERE id = $1', [3]));
  });

  it('returns a final match with its stat lines, home side first', async () => {
    const { id } = await sqlRow("SELECT min(id) AS id FROM matches WHERE status = 'final'");
    const match = (await json(`/api/matches/${Number(id)}`)) as { player_stats: Record<string, unknown>[] } & Record<string, unknown>;
    const { player_stats: stats, ...columns } = match;
    expect(columns).toEqual(await sqlRow('SELECT * FROM matches WHERE id = $1', [id]));
    const { rows } = await pool.query<Record<string, unknown>>(
      'SELECT * FROM match_player_stats WHERE match_id = $1 ORDER BY squad_id <> $2, player_id',
      [id, columns.home_squad_id],
    );
    expect(stats).toEqual(rows);
    expect(stats[0]?.squad_id).toBe(columns.home_squad_id);
  });

  it('returns a scheduled match with no scores and no stat lines', async () => {
    const { id } = await sqlRow("SELECT min(id) AS id FROM matches WHERE status = 'scheduled'");
    expect(await json(`/api/matches/${Number(id)}`)).toMatchObject({ home_score: null, away_score: null, player_stats: [] });
  });

  it.each(['/api/players/999999', '/api/squads/0', '/api/events/-3', '/api/matches/99999999999', '/api/squads/999999/members'])(
    'answers 404 for the unknown id in %s',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: 'Not found' });
    },
  );

  it.each(['/api/nothing', '/api/players', '/api/players/1/extra', '/api/squads/1/members/2', '/'])(
    'answers 404 for the unknown path %s',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: 'Not found' });
    },
  );

  it.each(['abc', '1.5', '1e3', '%20', '%E0%A4%A'])('answers 422 for the non-integer id %s', async (id) => {
    const response = await get(`/api/players/${id}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: [expect.objectContaining({ type: 'int_parsing', loc: ['path', 'player_id'] })],
    });
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers 405 with Allow: GET to %s', async (method) => {
    const response = await get('/api/players/1', { method, body: method === 'DELETE' ? undefined : '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('answers 500 without details when the database fails, and logs why', async () => {
    const lines: string[] = [];
    const unreachable = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 });
    const broken = await startDemoApi({ pool: unreachable, host: '127.0.0.1', port: 0, log: (line) => lines.push(line) });
    try {
      const response = await fetch(`${broken.url}/api/players/1`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ detail: 'Internal Server Error' });
      expect(lines).toEqual([expect.stringMatching(/GET \/api\/players\/1 failed: .*ECONNREFUSED/)]);
    } finally {
      await broken.close();
      await endPool(unreachable);
    }
  });

  it('refuses to start on a port that is taken', async () => {
    const port = Number(new URL(api.url).port);
    await expect(startDemoApi({ pool, host: '127.0.0.1', port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('echoes the X-Request-ID it was sent', async () => {
    const response = await get('/api/health', { headers: { 'X-Request-ID': 'req-123' } });
    expect(response.headers.get('x-request-id')).toBe('req-123');
  });

  it('closes even while a keep-alive client holds an idle connection', async () => {
    const other = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest(`${other.url}/api/health`, { headers: { Connection: 'keep-alive' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    await expect(other.close()).resolves.toBeUndefined();
    await expect(fetch(`${other.url}/api/health`)).rejects.toThrow();
  });
});

describe('startDemoApi with a service token', () => {
  const name = `squad_demo_${randomBytes(4).toString('hex')}`;
  let pool: Pool;
  let api: DemoApi;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createDatabase(name), max: 2 });
    await seedDatabase(pool, { now: NOW });
    api = await startDemoApi({ pool, host: '127.0.0.1', port: 0, serviceAuthToken: 's3cret-token' });
  });

  afterAll(async () => {
    await api.close();
    await endPool(pool);
    await dropDatabase(name);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer wrong-token'],
    ['a lower-case scheme', 'bearer s3cret-token'],
    ['the bare token', 's3cret-token'],
    ['two spaces after the scheme', 'Bearer  s3cret-token'],
    ['a longer token', 'Bearer s3cret-token2'],
  ])('answers 401 to %s, even on the health check', async (_case, authorization) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
    for (const path of ['/api/health', '/api/players/1', '/api/nothing']) {
      const response = await fetch(`${api.url}${path}`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual({ detail: 'Not authenticated' });
    }
  });

  it('serves requests that carry exactly the bearer token', async () => {
    const headers = { Authorization: 'Bearer s3cret-token' };
    expect((await fetch(`${api.url}/api/health`, { headers })).status).toBe(200);
    const response = await fetch(`${api.url}/api/players/1`, { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 1 });
  });
});

import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { connectMcp, toolBody } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/** Inputs become typed values once, at the edge: null means absent, dates are strict, on both surfaces. */
let app: TestApp;
let client: Client;
let playerId: number;
let squadId: number;
const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

beforeAll(async () => {
  app = await startTestApp();
  client = await connectMcp(app.url, SERVICE_KEY, 'modern');
  playerId = (await app.db.query<{ id: number }>('SELECT id FROM players ORDER BY id LIMIT 1')).rows[0]!.id;
  squadId = (await app.db.query<{ id: number }>('SELECT id FROM squads ORDER BY id LIMIT 1')).rows[0]!.id;
});

afterAll(async () => {
  await client.close();
  await app.close();
});

async function viaRest(tool: string, args: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(app.url).post(`/v1/mcp/${tool}`).set(auth).send(args as object);
  return { status: res.status, body: res.body as Record<string, unknown> };
}

async function viaMcp(tool: string, args: Record<string, unknown>): Promise<{ isError: boolean; body: Record<string, unknown> }> {
  const result = await client.callTool({ name: tool, arguments: args });
  return { isError: result.isError === true, body: toolBody(result) };
}

describe('null for an optional argument', () => {
  it.each(['search_players', 'list_squads', 'list_recent_matches', 'get_squad_rankings'])(
    '%s treats {"limit": null} as the default page size, and echoes it',
    async (tool) => {
      const rest = await viaRest(tool, { limit: null, offset: null });
      expect(rest.status).toBe(200);
      expect(rest.body).toMatchObject({ limit: 10, offset: 0 });
      expect((rest.body.items as unknown[]).length).toBeLessThanOrEqual(10);
      const mcp = await viaMcp(tool, { limit: null });
      expect(mcp).toMatchObject({ isError: false, body: { limit: 10, offset: 0 } });
    },
  );

  it.each([
    ['search_players', { query: null, region: null, position: null }],
    ['list_squads', { query: null, region: null, recruiting: null }],
    ['list_upcoming_events', { squad_id: null, field_id: null, region: null, kind: null, from: null, to: null }],
    ['get_leaderboard', { metric: 'wins', region: null, since: null, until: null, min_matches: null }],
  ])('%s answers nulls exactly as if the fields were omitted', async (tool, withNulls) => {
    const required = Object.fromEntries(Object.entries(withNulls).filter(([, value]) => value !== null));
    const [nulls, omitted] = await Promise.all([viaRest(tool, withNulls), viaRest(tool, required)]);
    expect(nulls.status).toBe(200);
    expect(nulls.body).toEqual(omitted.body);
  });

  it('treats a null date bound as no bound', async () => {
    const [nulls, omitted] = await Promise.all([
      viaMcp('get_player_stats', { player_id: playerId, since: null, until: null }),
      viaMcp('get_player_stats', { player_id: playerId }),
    ]);
    expect(nulls).toEqual(omitted);
    expect(nulls.isError).toBe(false);
  });

  it.each([
    ['get_player', { player_id: null }, 'player_id'],
    ['get_player_stats', { player_id: null }, 'player_id'],
    ['get_leaderboard', { metric: null }, 'metric'],
    ['get_head_to_head', { squad_id: 1, opponent_squad_id: null }, 'opponent_squad_id'],
  ])('%s refuses null for a required field, naming it', async (tool, args, field) => {
    const rest = await viaRest(tool, args);
    expect(rest.status).toBe(400);
    expect(rest.body).toMatchObject({ code: 'invalid_input', details: [{ field, message: `${field} is required` }] });
    const mcp = await viaMcp(tool, args);
    expect(mcp).toMatchObject({ isError: true, body: { code: 'invalid_input', details: [{ field }] } });
  });

  it('advertises an optional field as merely optional, with one type, and a date as an ISO 8601 string', async () => {
    const { tools } = await client.listTools();
    type Schema = { properties: Record<string, Record<string, unknown>>; required?: string[] };
    const stats = tools.find((tool) => tool.name === 'get_player_stats')!.inputSchema as Schema;
    expect(stats.required).toEqual(['player_id']);
    expect(stats.properties.player_id).toMatchObject({ type: 'integer', minimum: 1 });
    expect(stats.properties.since).toEqual({ type: 'string', maxLength: 35, description: expect.stringContaining('ISO 8601 date or date-time') as unknown });
    const search = tools.find((tool) => tool.name === 'search_players')!.inputSchema as Schema;
    expect(search.required).toBeUndefined();
    expect(search.properties.limit).toMatchObject({ type: 'integer', default: 10 });
    expect(search.properties.position).toMatchObject({ type: 'string', enum: ['front', 'mid', 'back', 'flex'] });
  });
});

describe('date inputs', () => {
  const DATE_FIELDS: [string, string, () => Record<string, unknown>][] = [
    ['get_player_stats', 'since', () => ({ player_id: playerId })],
    ['get_player_stats', 'until', () => ({ player_id: playerId })],
    ['get_squad_record', 'since', () => ({ squad_id: squadId })],
    ['list_recent_matches', 'until', () => ({})],
    ['get_leaderboard', 'since', () => ({ metric: 'eliminations' })],
    ['get_squad_rankings', 'until', () => ({})],
    ['list_upcoming_events', 'from', () => ({})],
    ['list_upcoming_events', 'to', () => ({})],
    ['list_my_events', 'from', () => ({})],
  ];
  const NOT_INSTANTS = ['2024-W01', '2024-W01-1', '20240101', '2024-01-01T00:00:00,5Z', '2023-02-29', '2024-01-01T10:00:00', '2024-13-01', 20240101];

  it.each(DATE_FIELDS)('%s refuses every date it cannot read as an instant in %s, naming the field', async (tool, field, base) => {
    for (const value of NOT_INSTANTS) {
      const rest = await request(app.url)
        .post(`/v1/mcp/${tool}`)
        .set({ ...auth, 'X-User-ID': '1' })
        .send({ ...base(), [field]: value });
      expect({ value, status: rest.status }).toEqual({ value, status: 400 });
      expect(rest.body).toMatchObject({ code: 'invalid_input', details: [{ field }] });
      expect((rest.body as { details: { message: string }[] }).details[0]!.message).toMatch(/ISO 8601 date \(YYYY-MM-DD\) or date-time with a time zone/);
    }
  });

  it('reads a date as midnight UTC and a date-time with its offset', async () => {
    const [dateOnly, sameInstant, offset] = await Promise.all([
      viaRest('list_recent_matches', { until: '2026-11-01' }),
      viaRest('list_recent_matches', { until: '2026-11-01T00:00:00Z' }),
      viaRest('list_recent_matches', { until: '2026-11-01T01:00:00+01:00' }),
    ]);
    expect(dateOnly.status).toBe(200);
    expect(dateOnly.body).toEqual(sameInstant.body);
    expect(offset.body).toEqual(sameInstant.body);
    for (const match of dateOnly.body.items as { played_at: string }[]) {
      expect(match.played_at < '2026-11-01T00:00:00.000Z').toBe(true);
    }
  });
});

import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { connectMcp, type Era, toolBody } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

interface Page<T> {
  items: T[];
  total_count: number;
  has_more: boolean;
  next_offset: number | null;
}

interface RegionRow {
  region: string;
  field_count: number;
  squad_count: number;
  player_count: number;
}

interface FieldRow {
  id: number;
  name: string;
  city: string;
  region: string;
  kind: string;
}

let app: TestApp;
const clients = new Map<Era, Client>();

beforeAll(async () => {
  app = await startTestApp();
  for (const era of ['legacy', 'modern'] as const) {
    clients.set(era, await connectMcp(app.url, SERVICE_KEY, era));
  }
});

afterAll(async () => {
  for (const client of clients.values()) {
    await client.close();
  }
  await app.close();
});

async function call<T>(era: Era, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; body: T }> {
  const result = await clients.get(era)!.callTool({ name, arguments: args });
  return { isError: result.isError === true, body: toolBody<T>(result) };
}

describe.each<Era>(['legacy', 'modern'])('regions and fields (%s era)', (era) => {
  it('list_regions names every region of the fields with the counts the database holds', async () => {
    const { body } = await call<Page<RegionRow>>(era, 'list_regions', {});
    const { rows } = await app.db.query<RegionRow>(
      `SELECT r.region,
              (SELECT COUNT(*)::int FROM fields f WHERE f.region = r.region) AS field_count,
              (SELECT COUNT(*)::int FROM squads s WHERE s.region = r.region) AS squad_count,
              (SELECT COUNT(*)::int FROM players p WHERE p.region = r.region) AS player_count
         FROM (SELECT DISTINCT region FROM fields) r ORDER BY r.region`,
    );
    expect(body.items).toEqual(rows);
    expect(body.total_count).toBe(rows.length);
  });

  it('list_fields filters by region in any case and by kind, ordered by name then id', async () => {
    const { body } = await call<Page<FieldRow>>(era, 'list_fields', { region: 'pACIFIC nORTHWEST', limit: 1000 });
    const { rows } = await app.db.query<FieldRow>(
      "SELECT id, name, city, region, kind FROM fields WHERE region = 'Pacific Northwest' ORDER BY name, id",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(body.items).toEqual(rows);
    const woodsball = await call<Page<FieldRow>>(era, 'list_fields', { kind: 'woodsball', limit: 1000 });
    expect(woodsball.body.items.length).toBeGreaterThan(0);
    expect(woodsball.body.items.every((field) => field.kind === 'woodsball')).toBe(true);
  });

  it('list_fields pages without overlap', async () => {
    const first = await call<Page<FieldRow>>(era, 'list_fields', { limit: 5 });
    const second = await call<Page<FieldRow>>(era, 'list_fields', { limit: 5, offset: first.body.next_offset });
    expect(first.body.has_more).toBe(true);
    expect(second.body.items.map((field) => field.id)).not.toEqual(expect.arrayContaining(first.body.items.map((field) => field.id)));
  });

  it('list_fields answers an empty page for a region that does not exist, and refuses an unknown kind', async () => {
    const none = await call<Page<FieldRow>>(era, 'list_fields', { region: 'Atlantis 🐚' });
    expect(none.body).toMatchObject({ items: [], total_count: 0, has_more: false, next_offset: null });
    const bad = await call<{ code: string; details: { field: string }[] }>(era, 'list_fields', { kind: 'paintball' });
    expect(bad.isError).toBe(true);
    expect(bad.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'kind' }] });
  });

  it('get_field answers one field, and not_found with a hint for an unknown id', async () => {
    const { body } = await call<FieldRow>(era, 'get_field', { field_id: 1 });
    const { rows } = await app.db.query<FieldRow>('SELECT id, name, city, region, kind FROM fields WHERE id = 1');
    expect(body).toEqual(rows[0]);
    const missing = await call<{ code: string; suggestions: string[] }>(era, 'get_field', { field_id: 2_000_000_000 });
    expect(missing).toEqual({ isError: true, body: expect.objectContaining({ code: 'not_found', suggestions: ["Use list_fields to find a field's id"] }) as unknown });
  });

  it.each([
    ['search_players', {}],
    ['list_squads', {}],
    ['list_upcoming_events', {}],
    ['get_leaderboard', { metric: 'eliminations' }],
    ['get_squad_rankings', {}],
  ])('%s matches its region filter case-insensitively', async (tool, args) => {
    const exact = await call<Page<unknown>>(era, tool, { ...args, region: 'Texas', limit: 1000 });
    const shouted = await call<Page<unknown>>(era, tool, { ...args, region: 'tEXAS', limit: 1000 });
    expect(exact.isError).toBe(false);
    expect(exact.body.total_count).toBeGreaterThan(0);
    expect(shouted.body).toEqual(exact.body);
  });
});

describe('regions and fields over REST', () => {
  it('POST /v1/mcp/list_regions answers the same page as MCP', async () => {
    const res = await request(app.url).post('/v1/mcp/list_regions').set('Authorization', `Bearer ${SERVICE_KEY}`).send({});
    expect(res.status).toBe(200);
    expect((res.body as Page<RegionRow>).items.map((row) => row.region)).toContain('Texas');
  });
});

import type { Client } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { connectMcp, type Era, structured } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Resources and prompts over MCP, with the official clients of both SDK lines and both protocol
 * eras: listing (in cursor pages), templates, reads that are tool calls, the resource-not-found
 * error, prompts with typed arguments, and completion from the demo world.
 */
const TEMPLATES = [
  'squad://players/{player_id}',
  'squad://squads/{squad_id}',
  'squad://events/{event_id}',
  'squad://matches/{match_id}',
  'squad://fields/{field_id}',
];

interface TextContents {
  uri: string;
  mimeType?: string;
  text?: string;
}

const jsonOf = (contents: TextContents[]): Record<string, unknown> => JSON.parse(contents[0]!.text!) as Record<string, unknown>;

describe('MCP resources', () => {
  let app: TestApp;
  let fieldCount: number;

  beforeAll(async () => {
    app = await startTestApp();
    fieldCount = (await app.db.query<{ n: number }>('SELECT CAST(COUNT(*) AS integer) AS n FROM fields')).rows[0]!.n;
  });

  afterAll(async () => {
    await app.close();
  });

  describe.each<Era>(['legacy', 'modern'])('with the SDK v2 client, %s era', (era) => {
    let client: Client;

    beforeAll(async () => {
      client = await connectMcp(app.url, SERVICE_KEY, era);
    });

    afterAll(async () => {
      await client.close();
    });

    it('declares resources, prompts and completions without list-changed notifications', () => {
      const capabilities = client.getServerCapabilities();
      expect(capabilities?.resources).toEqual({ listChanged: false });
      expect(capabilities?.prompts).toEqual({ listChanged: false });
      expect(capabilities?.completions).toEqual({});
    });

    it('lists regions, fields and every field, gathering the cursor pages', async () => {
      const uris = (await client.listResources()).resources.map((resource) => resource.uri);
      expect(uris.slice(0, 2)).toEqual(['squad://regions', 'squad://fields']);
      expect(new Set(uris).size).toBe(uris.length);
      expect(uris.filter((uri) => /^squad:\/\/fields\/\d+$/.test(uri))).toHaveLength(fieldCount);
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(client.listResources({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: -32602 });
    });

    it('lists one template per entity', async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([...TEMPLATES].sort());
      expect(resourceTemplates.every((template) => template.mimeType === 'application/json')).toBe(true);
    });

    it('reads squad://regions with the counts the database holds', async () => {
      const { contents } = await client.readResource({ uri: 'squad://regions' });
      expect(contents[0]).toMatchObject({ uri: 'squad://regions', mimeType: 'application/json' });
      const items = jsonOf(contents).items as { region: string; field_count: number; squad_count: number; player_count: number }[];
      const texas = items.find((item) => item.region === 'Texas');
      const counts = await app.db.query<{ fields: number; squads: number; players: number }>(
        `SELECT (SELECT CAST(COUNT(*) AS integer) FROM fields WHERE region = 'Texas') AS fields,
                (SELECT CAST(COUNT(*) AS integer) FROM squads WHERE region = 'Texas') AS squads,
                (SELECT CAST(COUNT(*) AS integer) FROM players WHERE region = 'Texas') AS players`,
      );
      expect(texas).toEqual({ region: 'Texas', field_count: counts.rows[0]!.fields, squad_count: counts.rows[0]!.squads, player_count: counts.rows[0]!.players });
    });

    it('reads an entity with the same body as its get_* tool', async () => {
      const { contents } = await client.readResource({ uri: 'squad://players/1' });
      const tool = await client.callTool({ name: 'get_player', arguments: { player_id: 1 } });
      expect(jsonOf(contents as TextContents[])).toEqual(structured(tool));
      const field = await client.readResource({ uri: 'squad://fields/1' });
      expect(jsonOf(field.contents as TextContents[])).toMatchObject({ id: 1, name: expect.any(String) as string, region: expect.any(String) as string });
    });

    it.each(['squad://players/99999999', 'squad://squads/0', 'squad://matches/abc', 'squad://nothing/1', 'https://example.com/'])(
      'answers %s with the resource-not-found error',
      async (uri) => {
        await expect(client.readResource({ uri })).rejects.toMatchObject({ code: -32602, data: { uri } });
      },
    );
  });

  it('serves the v1 SDK client cursor pages that neither overlap nor skip, and the same reads', async () => {
    const client = new V1Client({ name: 'resources-v1', version: '1.0.0' });
    await client.connect(new V1Transport(new URL('/mcp', app.url), { requestInit: { headers: { Authorization: `Bearer ${SERVICE_KEY}` } } }));
    try {
      const uris: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.listResources(cursor === undefined ? {} : { cursor });
        uris.push(...page.resources.map((resource) => resource.uri));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined);
      expect(pages).toBe(Math.ceil((fieldCount + 2) / 25));
      expect(uris[0]).toBe('squad://regions');
      expect(new Set(uris).size).toBe(fieldCount + 2);
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates).toHaveLength(TEMPLATES.length);
      const { contents } = await client.readResource({ uri: 'squad://squads/2' });
      expect(jsonOf(contents as TextContents[])).toMatchObject({ id: 2, name: 'Rogue Phantoms' });
      await expect(client.readResource({ uri: 'squad://squads/99999999' })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await client.close();
    }
  });

  it('gives 2026-07-28 clients cache hints: public for the catalogs, private for reads; nothing to 2025-era clients', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'hints', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const post = async (method: string, params: Record<string, unknown>, modern: boolean): Promise<Record<string, unknown>> => {
      const res = await fetch(`${app.url}/mcp`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${SERVICE_KEY}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...(modern ? { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method } : {}),
          ...(modern && typeof params.uri === 'string' ? { 'Mcp-Name': params.uri } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params: modern ? { ...params, _meta: meta } : params }),
      });
      const text = await res.text();
      const json = text.startsWith('{') ? text : text.split('\n').find((line) => line.startsWith('data: '))!.slice('data: '.length);
      const parsed = JSON.parse(json) as { result?: Record<string, unknown> };
      expect(parsed).toHaveProperty('result');
      return parsed.result!;
    };
    expect(await post('prompts/list', {}, true)).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
    expect(await post('resources/templates/list', {}, true)).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
    expect(await post('resources/list', {}, true)).toMatchObject({ ttlMs: 60_000, cacheScope: 'public' });
    expect(await post('resources/read', { uri: 'squad://regions' }, true)).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
    const legacy = await post('resources/read', { uri: 'squad://regions' }, false);
    expect(legacy.contents).toEqual([expect.objectContaining({ uri: 'squad://regions' })]);
    expect(legacy).not.toHaveProperty('ttlMs');
  });

  it('logs and measures a read as a call of its tool', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'legacy');
    try {
      await client.readResource({ uri: 'squad://events/1' });
    } finally {
      await client.close();
    }
    expect(app.logs.lines().some((line) => line.tool_name === 'get_event' && line.status === 'ok')).toBe(true);
    const metrics = await fetch(`${app.url}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/tool_calls_total\{tool_name="get_event",status="ok"\} [1-9]/);
  });
});

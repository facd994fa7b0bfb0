import type { Client } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import request from 'supertest';

import { connectMcp, type Era, toolBody } from './support/mcp-client';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Prompts over MCP and their REST mirror: each prompt names only tools that exist, and the calls
 * it tells the model to make, run as written against the demo world, answer with data.
 */
const PROMPT_ARGUMENTS: Readonly<Record<string, Record<string, string>>> = {
  scout_opponent: { squad_id: '2', opponent_squad_id: '10' },
  player_report: { player_id: '1', since: '2025-01-01' },
  plan_my_week: {},
  find_a_game: { region: 'texas', kind: 'scrimmage' },
};

const TOOL_NAME = /`([a-z]+(?:_[a-z]+)+)`/g;
const SUGGESTED_CALL = /^- `([a-z_]+)` (\{.*\}) — /;

function textOf(result: { messages: { content: { type: string; text?: string } }[] }): string {
  return result.messages.map((message) => message.content.text ?? '').join('\n');
}

/** Whether a tool's answer holds data: a page with items, or an object with an id or counts. */
function hasData(body: Record<string, unknown>): boolean {
  return Array.isArray(body.items) ? body.items.length > 0 : Object.keys(body).length > 1;
}

describe('MCP prompts', () => {
  let app: TestApp;
  let userId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const going = await app.db.query<{ player_id: number }>(
      `SELECT r.player_id FROM event_rsvps r JOIN events e ON e.id = r.event_id
        WHERE e.status = 'scheduled' AND e.starts_at > now() AND e.starts_at < now() + interval '6 days' AND r.status = 'going'
        ORDER BY r.player_id LIMIT 1`,
    );
    userId = String(going.rows[0]!.player_id);
  });

  afterAll(async () => {
    await app.close();
  });

  describe.each<Era>(['legacy', 'modern'])('with the SDK v2 client, %s era', (era) => {
    let client: Client;
    let tools: Set<string>;

    beforeAll(async () => {
      client = await connectMcp(app.url, SERVICE_KEY, era, { 'X-User-ID': userId });
      tools = new Set((await client.listTools()).tools.map((tool) => tool.name));
    });

    afterAll(async () => {
      await client.close();
    });

    it('lists the product prompts with their typed arguments', async () => {
      const { prompts } = await client.listPrompts();
      expect(prompts.map((prompt) => prompt.name)).toEqual(Object.keys(PROMPT_ARGUMENTS));
      const scout = prompts.find((prompt) => prompt.name === 'scout_opponent');
      expect(scout?.arguments?.map((argument) => [argument.name, argument.required])).toEqual([
        ['squad_id', true],
        ['opponent_squad_id', true],
      ]);
    });

    it.each(Object.entries(PROMPT_ARGUMENTS))('%s names only existing tools, and the calls it suggests return data', async (name, args) => {
      const text = textOf(await client.getPrompt({ name, arguments: args }));
      const named = [...text.matchAll(TOOL_NAME)].map((match) => match[1]!);
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((tool) => !tools.has(tool))).toEqual([]);
      const calls = text.split('\n').flatMap((line) => {
        const match = SUGGESTED_CALL.exec(line);
        return match === null ? [] : [{ name: match[1]!, arguments: JSON.parse(match[2]!) as Record<string, unknown> }];
      });
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        const result = await client.callTool(call);
        expect({ tool: call.name, isError: result.isError === true }).toEqual({ tool: call.name, isError: false });
        expect({ tool: call.name, data: hasData(toolBody(result)) }).toEqual({ tool: call.name, data: true });
      }
    });

    it('refuses malformed, missing and unknown arguments as invalid params, naming each', async () => {
      await expect(client.getPrompt({ name: 'player_report', arguments: { player_id: 'abc', since: '2026-02-30', extra: 'x' } })).rejects.toMatchObject({
        code: -32602,
        data: {
          code: 'invalid_input',
          details: [
            { field: 'extra', message: 'player_report has no argument extra' },
            { field: 'player_id', message: 'player_id must be a positive integer id' },
            { field: 'since', message: 'since must be a date as YYYY-MM-DD' },
          ],
        },
      });
      await expect(client.getPrompt({ name: 'scout_opponent', arguments: { squad_id: '2' } })).rejects.toMatchObject({
        code: -32602,
        data: { details: [{ field: 'opponent_squad_id', message: 'opponent_squad_id is required' }] },
      });
      await expect(client.getPrompt({ name: 'no_such_prompt', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    });

    it('completes regions in any case, kinds by prefix and squads by a fragment of their name', async () => {
      const complete = async (prompt: string, argument: string, value: string): Promise<string[]> =>
        (await client.complete({ ref: { type: 'ref/prompt', name: prompt }, argument: { name: argument, value } })).completion.values;
      expect(await complete('find_a_game', 'region', 'TEX')).toEqual(['Texas']);
      expect(await complete('find_a_game', 'kind', 'SCR')).toEqual(['scrimmage']);
      expect(await complete('scout_opponent', 'opponent_squad_id', 'rogue')).toContain('2');
      expect(await complete('player_report', 'player_id', 'frosth')).toContain('1');
      expect(await complete('player_report', 'since', '2026')).toEqual([]);
      expect(await complete('no_such_prompt', 'region', '')).toEqual([]);
    });
  });

  it('serves the v1 SDK client the same prompts and completions', async () => {
    const client = new V1Client({ name: 'prompts-v1', version: '1.0.0' });
    await client.connect(new V1Transport(new URL('/mcp', app.url), { requestInit: { headers: { Authorization: `Bearer ${SERVICE_KEY}` } } }));
    try {
      expect((await client.listPrompts()).prompts).toHaveLength(Object.keys(PROMPT_ARGUMENTS).length);
      const prompt = await client.getPrompt({ name: 'find_a_game', arguments: { region: 'Texas' } });
      expect(textOf(prompt)).toContain('`list_upcoming_events` {"region":"Texas","limit":10}');
      const { completion } = await client.complete({ ref: { type: 'ref/prompt', name: 'find_a_game' }, argument: { name: 'region', value: 'pacific' } });
      expect(completion.values).toEqual(['Pacific Northwest']);
    } finally {
      await client.close();
    }
  });

  describe('REST mirrors', () => {
    const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

    it('POST /v1/prompts/{name} answers the rendered messages', async () => {
      const res = await request(app.url).post('/v1/prompts/scout_opponent').set(auth).send({ squad_id: 2, opponent_squad_id: 10 });
      expect(res.status).toBe(200);
      expect(textOf(res.body as Parameters<typeof textOf>[0])).toContain('`get_head_to_head` {"squad_id":2,"opponent_squad_id":10,"limit":5}');
    });

    it('removes bidirectional controls from arguments before they reach the model, on REST and MCP', async () => {
      const res = await request(app.url).post('/v1/prompts/find_a_game').set(auth).send({ region: 'Te\u202exas\u2066' });
      expect(res.status).toBe(200);
      const text = textOf(res.body as Parameters<typeof textOf>[0]);
      expect(text).toContain('Texas');
      expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
      try {
        const prompt = await client.getPrompt({ name: 'find_a_game', arguments: { region: '\u202eTexas' } });
        expect(textOf(prompt as Parameters<typeof textOf>[0])).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      } finally {
        await client.close();
      }
    });

    it('POST /v1/prompts/{name} refuses bad arguments with 400 and an unknown prompt with 404', async () => {
      const bad = await request(app.url).post('/v1/prompts/find_a_game').set(auth).send({ region: 'Texas', kind: 'paintball' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'kind' }], request_id: expect.any(String) as string });
      const array = await request(app.url).post('/v1/prompts/find_a_game').set(auth).send([1]);
      expect(array.status).toBe(400);
      const unknown = await request(app.url).post('/v1/prompts/no_such_prompt').set(auth).send({});
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'not_found' });
    });

    it('GET /v1/resources reads a resource, and answers 404, 400 and 401 like the tools', async () => {
      const field = await request(app.url).get('/v1/resources').query({ uri: 'squad://fields/1' }).set(auth);
      expect(field.status).toBe(200);
      expect(field.body).toMatchObject({ id: 1, name: expect.any(String) as string, kind: expect.any(String) as string });
      const missing = await request(app.url).get('/v1/resources').query({ uri: 'squad://players/99999999' }).set(auth);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: 'not_found', error: 'Player 99999999 not found' });
      expect((await request(app.url).get('/v1/resources').set(auth)).status).toBe(400);
      expect((await request(app.url).get('/v1/resources').query({ uri: 'x'.repeat(513) }).set(auth)).status).toBe(400);
      const anonymous = await request(app.url).get('/v1/resources').query({ uri: 'squad://regions' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ code: 'unauthorized' });
    });

    it('documents both mirrors on /docs with demo values', async () => {
      const doc = (await request(app.url).get('/docs-json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/resources', ...Object.keys(PROMPT_ARGUMENTS).map((name) => `/v1/prompts/${name}`)]));
      const example = doc.paths['/v1/prompts/scout_opponent']!.post!.requestBody!.content['application/json']!.example as Record<string, unknown>;
      const res = await request(app.url).post('/v1/prompts/scout_opponent').set(auth).send(example);
      expect(res.status).toBe(200);
    });
  });
});

import request from 'supertest';

import { connectMcp, toolBody } from './support/mcp-client';
import type { RecordingProxy } from './support/recording-proxy';
import { ADMIN_KEY, SERVICE_KEY, startTestAppBehindProxy, type TestApp } from './support/test-app';

/**
 * squad-api's answers are parsed field by field against its contract: unknown fields never leave,
 * wrong types and oversized answers are `upstream_invalid` (502), counted and logged as contract drift.
 */
let app: TestApp & { proxy: RecordingProxy };
const asService = { Authorization: `Bearer ${SERVICE_KEY}` };
const asAdmin = { Authorization: `Bearer ${ADMIN_KEY}` };

const SQUAD = {
  id: 4,
  name: 'Cedar Ridge Raiders',
  tag: 'CRR',
  region: 'Pacific Northwest',
  home_field_id: 7,
  captain_player_id: 12,
  founded_on: '2019-04-01',
  is_recruiting: true,
  description: null,
  created_at: '2025-03-14T09:30:00Z',
};
const PLAYER = {
  id: 12,
  callsign: 'SnapShot',
  display_name: 'Dana Reyes',
  email: 'dana@example.com',
  region: 'Pacific Northwest',
  home_field_id: null,
  position: 'back',
  skill_rating: 1450,
  created_at: '2025-03-14T09:30:00Z',
};
const DRIFT = { phone: '+1 555 0100', note: 'owes fees', internal_score: 0.2 };

beforeAll(async () => {
  app = await startTestAppBehindProxy({ API_MAX_RESPONSE_BYTES: '65536' });
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  app.proxy.seen.length = 0;
});

function answerWith(body: unknown): void {
  app.proxy.behaviour = { status: 200, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

async function upstreamErrorCount(reason: 'invalid_body' | 'body_too_large'): Promise<number> {
  const metrics = await request(app.url).get('/metrics');
  const line = metrics.text.split('\n').find((text) => text.startsWith(`api_errors_total{source="upstream",status_code="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('fields squad-api adds', () => {
  it('never reach a caller, whatever the role', async () => {
    answerWith({ ...SQUAD, ...DRIFT, email: 'captain@example.com' });
    for (const auth of [asService, asAdmin]) {
      const res = await request(app.url).post('/v1/mcp/get_squad').set(auth).send({ squad_id: 4 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...SQUAD, created_at: '2025-03-14T09:30:00.000Z' });
    }
  });

  it('keep personal data for the admin role only', async () => {
    answerWith({ ...PLAYER, ...DRIFT });
    const service = await request(app.url).post('/v1/mcp/get_player').set(asService).send({ player_id: 12 });
    expect(service.body).not.toHaveProperty('email');
    expect(Object.keys(service.body as object).sort()).toEqual(['callsign', 'created_at', 'display_name', 'home_field_id', 'id', 'position', 'region', 'skill_rating']);
    const admin = await request(app.url).post('/v1/mcp/get_player').set(asAdmin).send({ player_id: 12 });
    expect(admin.body).toMatchObject({ email: 'dana@example.com' });
    expect(admin.body).not.toHaveProperty('phone');
  });
});

describe('an answer that breaks the contract', () => {
  it.each([
    ['an id sent as a string', { ...SQUAD, id: '4' }],
    ['a missing required field', { ...SQUAD, name: undefined }],
    ['an unknown enum value', { ...PLAYER, position: 'goalie' }],
    ['a list where an object belongs', [SQUAD]],
  ])('is upstream_invalid: %s', async (_name, body) => {
    answerWith(body);
    const before = await upstreamErrorCount('invalid_body');
    const tool = 'position' in (body as object) ? 'get_player' : 'get_squad';
    const res = await request(app.url).post(`/v1/mcp/${tool}`).set(asService).send(tool === 'get_player' ? { player_id: 12 } : { squad_id: 4 });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_invalid', status: 'error', error: 'Upstream service sent an invalid answer' });
    expect(await upstreamErrorCount('invalid_body')).toBe(before + 1);
    const logged = app.logs.forRequest(res.headers['x-request-id'] as string).find((line) => line.event === 'upstream_contract_violation');
    expect(logged).toMatchObject({ resource: expect.stringMatching(/^(Squad|Player)$/) as unknown, problem: expect.any(String) as unknown });
  });

  it('is upstream_invalid when squad-api answers a roster with a member of the wrong shape', async () => {
    app.proxy.script = [
      { status: 200, body: JSON.stringify(SQUAD), headers: { 'Content-Type': 'application/json' } },
      { status: 200, body: JSON.stringify([{ squad_id: 4, player_id: 'twelve' }]), headers: { 'Content-Type': 'application/json' } },
    ];
    app.proxy.behaviour = 'forward';
    const res = await request(app.url).post('/v1/mcp/get_squad_roster').set(asService).send({ squad_id: 4 });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_invalid' });
  });
});

describe('an answer about another entity than the one asked for', () => {
  it('is upstream_invalid over REST, logged as contract drift', async () => {
    answerWith({ ...SQUAD, id: 999 });
    const before = await upstreamErrorCount('invalid_body');
    const res = await request(app.url).post('/v1/mcp/get_squad').set(asService).send({ squad_id: 4 });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_invalid' });
    expect(await upstreamErrorCount('invalid_body')).toBe(before + 1);
    const logged = app.logs.forRequest(res.headers['x-request-id'] as string).find((line) => line.event === 'upstream_contract_violation');
    expect(logged).toMatchObject({ resource: 'Squad', problem: '/id is not the id asked for' });
  });

  it('is upstream_invalid over MCP', async () => {
    answerWith({ ...PLAYER, id: 999 });
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    try {
      const result = await client.callTool({ name: 'get_player', arguments: { player_id: 12 } });
      expect(result.isError).toBe(true);
      expect(toolBody(result)).toMatchObject({ code: 'upstream_invalid' });
    } finally {
      await client.close();
    }
  });

  it('is upstream_invalid when a roster lists the members of another squad', async () => {
    app.proxy.script = [
      { status: 200, body: JSON.stringify(SQUAD), headers: { 'Content-Type': 'application/json' } },
      {
        status: 200,
        body: JSON.stringify([{ squad_id: 999, player_id: 12, callsign: 'SnapShot', display_name: 'Dana Reyes', role: 'member', joined_at: '2025-03-14T09:30:00Z', left_at: null }]),
        headers: { 'Content-Type': 'application/json' },
      },
    ];
    app.proxy.behaviour = 'forward';
    const res = await request(app.url).post('/v1/mcp/get_squad_roster').set(asService).send({ squad_id: 4 });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_invalid' });
  });
});

describe('an answer larger than API_MAX_RESPONSE_BYTES', () => {
  it('is refused as upstream_invalid without a retry', async () => {
    answerWith({ ...SQUAD, description: 'x'.repeat(200_000) });
    const before = await upstreamErrorCount('body_too_large');
    const res = await request(app.url).post('/v1/mcp/get_squad').set(asService).send({ squad_id: 4 });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_invalid' });
    expect(app.proxy.seen).toHaveLength(1);
    expect(await upstreamErrorCount('body_too_large')).toBe(before + 1);
  });
});

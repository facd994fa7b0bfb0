import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';

import request from 'supertest';

import { keysFile, newKey, writeKeys } from './support/keys-file';
import { connectMcp } from './support/mcp-client';
import { twoInstancesSharingRedis } from './support/shared-count-pair';
import { ADMIN_KEY, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const LEAK = /\bat \S+ \(|SELECT |FROM |INSERT |\/work\/|node_modules|127\.0\.0\.1|localhost:\d|[A-Z][a-z]+Error\b|ECONN|stack/;
const UNAUTHORIZED = { error: 'Unauthorized', status: 'unauthorized', code: 'unauthorized', details: [], suggestions: [expect.stringMatching(/^Send Authorization: Bearer <key>/) as unknown] };


const toolCall = (key: string) => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });

describe('authentication', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('refuses a request with two Authorization headers, even when both hold valid keys', async () => {
    const port = Number(new URL(app.url).port);
    const body = JSON.stringify({ player_id: 1 });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end(
          `POST /v1/mcp/get_player HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${SERVICE_KEY}\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toMatch(/WWW-Authenticate: Bearer/i);
    const requestId = /X-Request-ID: (\S+)/i.exec(answer)![1]!;
    expect(app.logs.forRequest(requestId).find((line) => line.event === 'audit')).toMatchObject({ result: 'denied', reason: 'duplicate_authorization' });
  });

  it('warns at start about an environment key shorter than 32 characters, without showing it', () => {
    const warnings = app.logs.lines().filter((line) => line.event === 'weak_api_key');
    expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ variable: 'API_KEY_PRIMARY', length: SERVICE_KEY.length })]));
    expect(JSON.stringify(warnings)).not.toContain(SERVICE_KEY);
  });

  const wrong: [string, Record<string, string>][] = [
    ['no header', {}],
    ['an empty header', { Authorization: '' }],
    ['the scheme alone', { Authorization: 'Bearer' }],
    ['a lower-case scheme', { Authorization: `bearer ${SERVICE_KEY}` }],
    ['two spaces', { Authorization: `Bearer  ${SERVICE_KEY}` }],
    ['trailing words', { Authorization: `Bearer ${SERVICE_KEY} extra` }],
    ['Basic', { Authorization: `Basic ${Buffer.from(`user:${SERVICE_KEY}`).toString('base64')}` }],
    ['Token', { Authorization: `Token ${SERVICE_KEY}` }],
    ['the bare key', { Authorization: SERVICE_KEY }],
    ['a longer key', { Authorization: `Bearer ${SERVICE_KEY}x` }],
    ['a shorter key', { Authorization: `Bearer ${SERVICE_KEY.slice(0, -1)}` }],
    ['a 2 kB key', { Authorization: `Bearer ${'a'.repeat(2048)}` }],
    ['the key in another header', { 'X-API-Key': SERVICE_KEY }],
    ['the key as a query parameter', {}],
  ];

  it.each(wrong)('refuses %s with the exact 401 on every protected surface', async (label, headers) => {
    const query = label === 'the key as a query parameter' ? `?api_key=${SERVICE_KEY}` : '';
    for (const path of ['/mcp', '/v1/mcp/get_player', '/admin/reload-secrets']) {
      const res = await request(app.url).post(path + query).set(headers).send({ player_id: 1 });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toEqual({ ...UNAUTHORIZED, request_id: res.headers['x-request-id'] });
    }
  });

  it('writes one audit event per attempt, refused or allowed', async () => {
    await request(app.url).post('/v1/mcp/get_player').set({ 'X-Request-ID': 'audit-denied' }).send({ player_id: 1 });
    await request(app.url).post('/v1/mcp/get_player').set({ ...toolCall(SERVICE_KEY), 'X-Request-ID': 'audit-ok', 'X-User-ID': '9' }).send({ player_id: 1 });
    const denied = app.logs.forRequest('audit-denied').filter((line) => line.event === 'audit');
    const allowed = app.logs.forRequest('audit-ok').filter((line) => line.event === 'audit');
    expect(denied).toEqual([expect.objectContaining({ result: 'denied', reason: 'missing_key', client_id: null, tool: null, status_code: 401 })]);
    expect(allowed).toEqual([
      expect.objectContaining({ result: 'allowed', reason: 'valid_key', client_id: 'primary', user_id: '9', tool: 'get_player', status_code: 200 }),
    ]);
  });

  it('keeps /admin for the admin role', async () => {
    const res = await request(app.url).post('/admin/reload-secrets').set(toolCall(SERVICE_KEY)).send();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 'forbidden', code: 'forbidden' });
  });

  it('sends API security headers and no CORS headers by default', async () => {
    const res = await request(app.url).post('/v1/mcp/get_player').set({ ...toolCall(SERVICE_KEY), Origin: 'https://evil.example' }).send({ player_id: 1 });
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('CORS', () => {
  it('answers a preflight from a listed origin, and only from it', async () => {
    const app = await startTestApp({ CORS_ORIGINS: 'https://app.squad.example' });
    try {
      const preflight = (origin: string) =>
        request(app.url)
          .options('/v1/mcp/get_player')
          .set({ Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' });
      const listed = await preflight('https://app.squad.example');
      expect(listed.status).toBe(204);
      expect(listed.headers['access-control-allow-origin']).toBe('https://app.squad.example');
      expect(listed.headers['access-control-allow-headers']).toContain('Authorization');
      const other = await preflight('https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('hostile input', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  const hostile = [
    "' OR 1=1; DROP TABLE players; --",
    "%' UNION SELECT email FROM players --",
    '\\',
    '🎯 Pa\u202eintball 名前',
    'x'.repeat(10_000),
    'nul\u0000byte',
    '$1',
    '{"$gt": ""}',
  ];

  it.each(hostile.map((value) => [value.slice(0, 40), value]))('never fails or leaks on %j', async (_label, value) => {
    for (const [tool, args] of [
      ['search_players', { query: value }],
      ['search_players', { region: value }],
      ['list_squads', { query: value }],
      ['get_player', { player_id: value }],
      ['get_leaderboard', { metric: value }],
    ] as const) {
      const res = await request(app.url).post(`/v1/mcp/${tool}`).set(toolCall(SERVICE_KEY)).send(args);
      expect([200, 400]).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toMatch(LEAK);
    }
  });

  it('answers a hostile tool name with 404 and no echo of a path', async () => {
    const res = await request(app.url).post('/v1/mcp/..%2F..%2Fetc%2Fpasswd').set(toolCall(SERVICE_KEY)).send({});
    expect([400, 404]).toContain(res.status);
    expect(JSON.stringify(res.body)).not.toMatch(LEAK);
  });

  it('refuses an oversized body with 413 and malformed or non-object bodies with 400', async () => {
    const big = await request(app.url)
      .post('/v1/mcp/search_players')
      .set(toolCall(SERVICE_KEY))
      .send(JSON.stringify({ query: 'x', pad: 'y'.repeat(200_000) }));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large', status: 'error' });
    const malformed = await request(app.url).post('/v1/mcp/search_players').set(toolCall(SERVICE_KEY)).send('{"query":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'invalid_input' });
    const list = await request(app.url).post('/v1/mcp/search_players').set(toolCall(SERVICE_KEY)).send('[1,2]');
    expect(list.status).toBe(400);
    expect(list.body).toMatchObject({ code: 'invalid_input', details: [{ field: 'arguments', message: 'must be a JSON object' }] });
  });

  it('rejects numbers out of bounds, wrong types and prototype keys', async () => {
    for (const args of [{ player_id: 1e20 }, { player_id: -1 }, { player_id: 1.5 }, { player_id: true }, { player_id: null }]) {
      const res = await request(app.url).post('/v1/mcp/get_player').set(toolCall(SERVICE_KEY)).send(args);
      expect(res.status).toBe(400);
    }
    const proto = await request(app.url).post('/v1/mcp/search_players').set(toolCall(SERVICE_KEY)).send('{"__proto__":{"limit":5},"constructor":{"x":1}}');
    expect(proto.status).toBe(400);
    expect(proto.body).toMatchObject({ code: 'invalid_input' });
  });
});

describe('rate limits shared through Redis', () => {
  const key = newKey();
  const partnerKey = newKey();
  const clientId = `limited-${randomBytes(4).toString('hex')}`;
  const pair = twoInstancesSharingRedis(
    async () => ({
      RATE_LIMIT_RPM: '5',
      API_KEYS_FILE: await keysFile([
        { id: clientId, key },
        { id: `${clientId}-partner`, key: partnerKey, rate_limit_rpm: 2 },
      ]),
    }),
    [clientId, `${clientId}-partner`],
  );
  const { clock } = pair;

  it('refuses the 6th call in a window with 5 allowed, with the SPEC body and headers', async () => {
    for (let call = 1; call <= 5; call += 1) {
      const res = await request(pair.first.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(5 - call));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    const refused = await request(pair.first.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.body).toEqual({
      error: `Rate limit exceeded: the budget resets in ${retryAfter} s`,
      status: 'rate_limited',
      code: 'rate_limited',
      request_id: refused.headers['x-request-id'],
      details: [],
      suggestions: [`Retry after ${retryAfter} s (the Retry-After header)`],
      retry_after_seconds: retryAfter,
    });
    const metrics = await request(pair.first.url).get('/metrics');
    expect(metrics.text).toContain(`rate_limit_hits_total{client_id="${clientId}"} 1`);
  });

  it('restores the budget as the calls leave the 60 s window', async () => {
    for (let call = 1; call <= 6; call += 1) {
      await request(pair.first.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
    }
    clock.advance(59_000);
    expect((await request(pair.second.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 })).status).toBe(429);
    clock.advance(1_000);
    const res = await request(pair.first.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
  });

  it('lets no more than the limit through in any 60 s, across the window edge and both instances', async () => {
    const granted: number[] = [];
    // Calls every 2 s for 3 minutes, alternating instances: a fixed window would pass 10 around each edge.
    for (let call = 0; call < 90; call += 1) {
      const instance = call % 2 === 0 ? pair.first : pair.second;
      const res = await request(instance.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
      if (res.status === 200) {
        granted.push(clock.now());
      } else {
        expect(res.status).toBe(429);
      }
      clock.advance(2_000);
    }
    expect(granted.length).toBeGreaterThanOrEqual(15);
    for (const start of granted) {
      expect(granted.filter((time) => time >= start && time < start + 60_000).length).toBeLessThanOrEqual(5);
    }
  });

  it('spends one budget across /mcp, the mirrors and two instances', async () => {
    const client = await connectMcp(pair.second.url, key, 'legacy');
    try {
      await request(pair.first.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
      await request(pair.second.url).post('/v1/mcp/search_players').set(toolCall(key)).send({});
      await request(pair.second.url).post('/v1/mcp/list_squads').set(toolCall(key)).send({});
      // connect (initialize + initialized) spent two calls on the second instance already; its GET probe
      // of /mcp is refused with 405 before authentication and costs nothing.
      const rejected = await request(pair.first.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
      expect(rejected.status).toBe(429);
      const viaMcp = await request(pair.second.url)
        .post('/mcp')
        .set({ ...toolCall(key), Accept: 'application/json, text/event-stream' })
        .send({ jsonrpc: '2.0', id: 9, method: 'tools/list' });
      expect(viaMcp.status).toBe(429);
      expect(viaMcp.body).toMatchObject({ code: 'rate_limited' });
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it('applies a per-key limit from the keys file', async () => {
    const statuses: number[] = [];
    for (let call = 1; call <= 3; call += 1) {
      statuses.push((await request(pair.second.url).post('/v1/mcp/get_player').set(toolCall(partnerKey)).send({ player_id: 1 })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('rate limits while Redis is unreachable', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_RPM: '3' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports the fallback from start-up, before any call', async () => {
    const health = await request(app.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { rate_limiter: { status: 'degraded', backend: 'memory_fallback' } } });
  });

  it('falls back to counting in memory, says so once, and reports degraded health', async () => {
    const fallbacks = (): number => app.logs.lines().filter((line) => line.event === 'rate_limit_fallback').length;
    const statuses: number[] = [];
    for (let call = 1; call <= 4; call += 1) {
      statuses.push((await request(app.url).post('/v1/mcp/get_player').set(toolCall(SERVICE_KEY)).send({ player_id: 1 })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(fallbacks()).toBe(1);
    const health = await request(app.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { rate_limiter: { status: 'degraded', backend: 'memory_fallback' } } });
  });
});

describe('secret rotation', () => {
  it('refuses a revoked key at once after a reload, and keeps the others', async () => {
    const kept = newKey();
    const revoked = newKey();
    const file = await keysFile([
      { id: 'kept', key: kept },
      { id: 'revoked', key: revoked },
    ]);
    const app = await startTestApp({ API_KEYS_FILE: file });
    try {
      const call = (key: string) => request(app.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
      expect((await call(revoked)).status).toBe(200);
      await writeKeys(file, [{ id: 'kept', key: kept }]);
      const reload = await request(app.url).post('/admin/reload-secrets').set(toolCall(ADMIN_KEY)).send();
      expect(reload.status).toBe(200);
      expect(reload.body).toEqual({ status: 'reloaded', keys: 3 });
      expect((await call(revoked)).status).toBe(401);
      expect((await call(kept)).status).toBe(200);
      expect((await call(SERVICE_KEY)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('keeps the current keys when the new keys file is invalid', async () => {
    const file = await keysFile([{ id: 'one', key: newKey() }]);
    const app = await startTestApp({ API_KEYS_FILE: file });
    try {
      await writeFile(file, '[{"id": "broken", "sha256": "not-hex", "roles": ["root"]}]');
      const reload = await request(app.url).post('/admin/reload-secrets').set(toolCall(ADMIN_KEY)).send();
      expect(reload.status).toBe(400);
      expect(reload.body).toMatchObject({ code: 'invalid_input', error: 'The new secrets are invalid; the current keys stay in force' });
      expect((await request(app.url).post('/v1/mcp/get_player').set(toolCall(SERVICE_KEY)).send({ player_id: 1 })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('holds keys of the keys file to the same 16-character minimum as the environment keys', async () => {
    const short = 'short-key-15chr';
    const shortest = 'sixteen-chars-ok';
    const file = await keysFile([
      { id: 'too-short', key: short },
      { id: 'long-enough', key: shortest },
    ]);
    const app = await startTestApp({ API_KEYS_FILE: file });
    try {
      const call = (key: string) => request(app.url).post('/v1/mcp/get_player').set(toolCall(key)).send({ player_id: 1 });
      const refused = await call(short);
      expect(refused.status).toBe(401);
      expect(app.logs.forRequest(refused.headers['x-request-id'] as string).find((line) => line.event === 'audit')).toMatchObject({ reason: 'invalid_key' });
      expect((await call(shortest)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

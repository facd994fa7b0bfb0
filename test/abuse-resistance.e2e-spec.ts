import { randomBytes } from 'node:crypto';

import request from 'supertest';

import { keysFile, newKey } from './support/keys-file';
import { twoInstancesSharingRedis } from './support/shared-count-pair';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

/**
 * A key limited to N tool calls per minute gets at most N, however they arrive: one by one,
 * in JSON-RPC batches, on either surface, on either instance. Refused keys are throttled per
 * client address, and a flood of refusals cannot fill the audit log.
 */
const LIMIT = 5;
const mcpHeaders = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

interface RpcReply {
  id: number;
  result?: { isError?: boolean; content: { text: string }[] };
  error?: { code: number; message: string; data?: { code: string } };
}

/** Every JSON-RPC reply in a response, framed as JSON (one or a list) or as SSE events. */
function replies(res: request.Response): RpcReply[] {
  const bodies = String(res.headers['content-type']).startsWith('text/event-stream')
    ? res.text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)) as unknown)
    : [res.body as unknown];
  return bodies.flat() as RpcReply[];
}

function toolCalls(count: number): object[] {
  return Array.from({ length: count }, (_, index) => ({ jsonrpc: '2.0', id: index + 1, method: 'tools/call', params: { name: 'get_player', arguments: { player_id: index + 1 } } }));
}

function outcomes(res: request.Response): string[] {
  return replies(res)
    .sort((a, b) => a.id - b.id)
    .map((reply) => (reply.result?.isError === true ? (JSON.parse(reply.result.content[0]!.text) as { code: string }).code : 'ok'));
}

describe('tool calls spend the budget one by one, batches included', () => {
  const key = newKey();
  const clientId = `batch-${randomBytes(4).toString('hex')}`;
  // A budget that holds every listing of a batch, so only the rate limit bounds them here.
  const pair = twoInstancesSharingRedis(async () => ({ API_KEYS_FILE: await keysFile([{ id: clientId, key, rate_limit_rpm: LIMIT }]), MAX_RESULT_BYTES: '16777216' }), [clientId]);
  const { clock } = pair;
  const auth = { Authorization: `Bearer ${key}` };

  it('answers the calls of a batch within the budget and refuses the rest as tool errors', async () => {
    const res = await request(pair.first.url).post('/mcp').set({ ...mcpHeaders, ...auth, 'X-Request-ID': `${clientId}-batch` }).send(toolCalls(8));
    expect(res.status).toBe(200);
    expect(outcomes(res).sort()).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited', 'rate_limited']);
    // Each call of the batch is one access attempt, audited with its own decision.
    const audited = pair.first.logs.forRequest(`${clientId}-batch`).filter((line) => line.event === 'audit');
    expect(audited.map((line) => `${String(line.result)} ${String(line.reason)} ${String(line.tool)}`).sort()).toEqual([
      ...Array<string>(5).fill('allowed valid_key get_player'),
      ...Array<string>(3).fill('denied rate_limited get_player'),
    ]);
    expect(res.headers['x-ratelimit-remaining']).toBe('0');
    const next = await request(pair.first.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(toolCalls(1)[0]);
    expect(next.status).toBe(429);
    expect(next.body).toMatchObject({ code: 'rate_limited', retry_after_seconds: 60 });
  });

  it('shares the budget of batches across two instances and both surfaces', async () => {
    const onFirst = await request(pair.first.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(toolCalls(3));
    expect(outcomes(onFirst)).toEqual(['ok', 'ok', 'ok']);
    const onSecond = await request(pair.second.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(toolCalls(3));
    expect(outcomes(onSecond).sort()).toEqual(['ok', 'ok', 'rate_limited']);
    const rest = await request(pair.first.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 1 });
    expect(rest.status).toBe(429);
  });

  it('charges a listing request one unit', async () => {
    const statuses: number[] = [];
    for (let call = 0; call <= LIMIT; call += 1) {
      statuses.push((await request(pair.second.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('charges a batch of listings one unit per listing', async () => {
    clock.advance(60_000);
    const listings = Array.from({ length: LIMIT + 2 }, (_, index) => ({ jsonrpc: '2.0', id: index + 1, method: 'tools/list' }));
    const res = await request(pair.first.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(listings);
    expect(res.status).toBe(200);
    const answered = replies(res).sort((a, b) => a.id - b.id).map((reply) => reply.error?.data?.code ?? 'ok');
    expect(answered).toEqual([...Array.from({ length: LIMIT }, () => 'ok'), 'rate_limited', 'rate_limited']);
    expect((await request(pair.second.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(listings[0])).status).toBe(429);
  });

  it('never answers more than the limit in any 60 s, however batches and instances are mixed', async () => {
    const answered: number[] = [];
    for (let round = 0; round < 30; round += 1) {
      const instance = round % 2 === 0 ? pair.first : pair.second;
      const res = await request(instance.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(toolCalls(1 + (round % 4)));
      const ok = res.status === 200 ? outcomes(res).filter((outcome) => outcome === 'ok').length : 0;
      for (let call = 0; call < ok; call += 1) {
        answered.push(clock.now());
      }
      clock.advance(7_000);
    }
    expect(answered.length).toBeGreaterThanOrEqual(3 * LIMIT);
    for (const start of answered) {
      expect(answered.filter((time) => time >= start && time < start + 60_000).length).toBeLessThanOrEqual(LIMIT);
    }
  });

  it('refuses a batch under a protocol version that has no batches', async () => {
    const res = await request(pair.first.url)
      .post('/mcp')
      .set({ ...mcpHeaders, ...auth, 'MCP-Protocol-Version': '2025-06-18' })
      .send(toolCalls(2));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { message: 'JSON-RPC batches are accepted only with protocol version 2025-03-26' } });
  });

  it('charges nothing for a batch it refuses', async () => {
    clock.advance(60_000);
    for (const version of ['2025-06-18', '2025-11-25', '2026-07-28']) {
      const refused = await request(pair.first.url)
        .post('/mcp')
        .set({ ...mcpHeaders, ...auth, 'MCP-Protocol-Version': version })
        .send(toolCalls(LIMIT));
      expect(refused.status).toBe(400);
    }
    const res = await request(pair.second.url).post('/mcp').set({ ...mcpHeaders, ...auth }).send(toolCalls(LIMIT));
    expect(outcomes(res)).toEqual(Array.from({ length: LIMIT }, () => 'ok'));
  });
});

describe('refused authentications', () => {
  const clock = new TestClock();
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '3', TRUST_PROXY: '1', AUTH_FAILURES_EXEMPT_CIDRS: '198.18.0.0/15, 2001:db8::/32' }, { clock });
  });

  afterAll(async () => {
    await app.close();
  });

  const call = (key: string, address: string) =>
    request(app.url).post('/v1/mcp/get_player').set({ Authorization: `Bearer ${key}`, 'X-Forwarded-For': address }).send({ player_id: 1 });

  it('are limited per client address, before any key is compared, until the minute has passed', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await call('wrong-key-0123456789', '203.0.113.7')).status);
    }
    expect(statuses).toEqual([401, 401, 401]);
    const throttled = await call(SERVICE_KEY, '203.0.113.7');
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(SERVICE_KEY, '198.51.100.9')).status).toBe(200);
    clock.advance(60_000);
    expect((await call(SERVICE_KEY, '203.0.113.7')).status).toBe(200);
  });

  it('gather a flood from one address into a summary audit line', async () => {
    const auditFor = (address: string) => app.logs.lines().filter((line) => line.event === 'audit' && line.client_address === address);
    clock.advance(60_000);
    for (let attempt = 0; attempt < 130; attempt += 1) {
      await call('wrong-key-0123456789', '192.0.2.44');
    }
    expect(auditFor('192.0.2.44')).toHaveLength(100);
    clock.advance(10_000);
    await call('wrong-key-0123456789', '192.0.2.44');
    const summary = auditFor('192.0.2.44').find((line) => line.reason === 'repeated_refusals');
    expect(summary).toMatchObject({ result: 'denied', count: 30, reasons: { auth_failures_throttled: 30 } });
  });

  it('never throttle an address of AUTH_FAILURES_EXEMPT_CIDRS, so a guesser behind a trusted NAT locks no one out', async () => {
    const statuses: number[] = [];
    for (const address of ['198.18.3.4', '198.19.255.1', '2001:db8::7']) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        statuses.push((await call('wrong-key-0123456789', address)).status);
      }
      statuses.push((await call(SERVICE_KEY, address)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 200, 401, 401, 401, 401, 401, 200, 401, 401, 401, 401, 401, 200]);
  });

  it('show the throttled addresses in metrics, at most 20 by name and the rest as "other"', async () => {
    clock.advance(60_000);
    for (let host = 1; host <= 23; host += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await call('wrong-key-0123456789', `203.0.113.${host}`);
      }
    }
    const metrics = (await request(app.url).get('/metrics')).text;
    const named = metrics.split('\n').filter((line) => line.startsWith('auth_throttled_addresses{address="203.0.113.'));
    expect(named).toHaveLength(20);
    expect(named.every((line) => line.endsWith(' 1'))).toBe(true);
    expect(metrics).toContain('auth_throttled_addresses{address="other"} 3');
    clock.advance(60_000);
    expect((await request(app.url).get('/metrics')).text).not.toContain('auth_throttled_addresses{address="203.0.113.');
  });
});

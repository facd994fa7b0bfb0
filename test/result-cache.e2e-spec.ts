import { Pool } from 'pg';
import request from 'supertest';

import { startDemoApi } from '../src/demo/demo-api';
import { IdentityProvider, newSigningKey } from './support/identity-provider';
import { connectMcp } from './support/mcp-client';
import { RecordingProxy } from './support/recording-proxy';
import { TcpProxy } from './support/tcp-proxy';
import { ADMIN_KEY, e2eDatabaseUrl, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { redisUrlThrough, TEST_REDIS_HOST, TEST_REDIS_PORT, TEST_REDIS_URL } from './support/test-redis';

const REDIS_URL = TEST_REDIS_URL;
const TTL_SECONDS = 15;
const service = { Authorization: `Bearer ${SERVICE_KEY}` };
const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
// Cache on, and failures quick and one attempt each, so every squad-api request the proxy sees is one the cache let through.
const CACHE_ON = { RESULT_CACHE_TTL_SECONDS: String(TTL_SECONDS), API_MAX_RETRIES: '0', API_BREAKER_FAILURES: '1000' };

/** The demo squad-api behind a recording proxy: every request squad-mcp makes is counted. */
class CountedSquadApi {
  private constructor(
    readonly proxy: RecordingProxy,
    readonly url: string,
    private readonly stop: () => Promise<void>,
  ) {}

  static async start(): Promise<CountedSquadApi> {
    const pool = new Pool({ connectionString: e2eDatabaseUrl(), max: 2 });
    const api = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
    const proxy = new RecordingProxy(api.url);
    const url = await proxy.start();
    return new CountedSquadApi(proxy, url, async () => {
      await proxy.stop();
      await api.close();
      await pool.end();
    });
  }

  requestsTo(path: string): number {
    return this.proxy.seen.filter((seen) => seen.url === path).length;
  }

  close(): Promise<void> {
    return this.stop();
  }
}

const call = (app: TestApp, tool: string, args: object, auth: Record<string, string> = service) => request(app.url).post(`/v1/mcp/${tool}`).set(auth).send(args);

async function cacheCount(app: TestApp, tool: string, result: 'hit' | 'miss'): Promise<number> {
  const metrics = (await request(app.url).get('/metrics')).text;
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`tool_cache_requests_total{tool_name="${tool}",result="${result}"} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('result cache on one instance', () => {
  const clock = new TestClock();
  let api: CountedSquadApi;
  let app: TestApp;

  beforeAll(async () => {
    api = await CountedSquadApi.start();
    app = await startTestApp({ ...CACHE_ON, API_BASE_URL: api.url }, { clock });
  });

  afterAll(async () => {
    await app.close();
    await api.close();
  });

  beforeEach(() => {
    api.proxy.seen.length = 0;
    api.proxy.behaviour = 'forward';
  });

  it('answers a second identical call within the TTL without asking squad-api, with the same answer', async () => {
    const first = await call(app, 'get_player', { player_id: 11 });
    const second = await call(app, 'get_player', { player_id: 11 });
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.body).toMatchObject({ id: 11 });
    expect(api.requestsTo('/api/players/11')).toBe(1);
  });

  it('treats arguments that differ only by an optional null or key order as the same call', async () => {
    await call(app, 'get_squad_roster', { squad_id: 2, include_former: false });
    await call(app, 'get_squad_roster', { include_former: null, squad_id: 2 });
    await call(app, 'get_squad_roster', { squad_id: 2 });
    expect(api.requestsTo('/api/squads/2/members')).toBe(1);
    await call(app, 'get_squad_roster', { squad_id: 2, include_former: true });
    expect(api.requestsTo('/api/squads/2/members')).toBe(2);
  });

  it('asks squad-api again once the TTL has passed', async () => {
    await call(app, 'get_squad', { squad_id: 3 });
    clock.advance(TTL_SECONDS * 1000 - 100);
    await call(app, 'get_squad', { squad_id: 3 });
    expect(api.requestsTo('/api/squads/3')).toBe(1);
    clock.advance(200);
    const fresh = await call(app, 'get_squad', { squad_id: 3 });
    expect(fresh.body).toMatchObject({ id: 3 });
    expect(api.requestsTo('/api/squads/3')).toBe(2);
  });

  it('never serves an expired answer when squad-api fails after the TTL', async () => {
    expect((await call(app, 'get_event', { event_id: 4 })).status).toBe(200);
    clock.advance(TTL_SECONDS * 1000 + 1);
    api.proxy.behaviour = { status: 503 };
    const res = await call(app, 'get_event', { event_id: 4 });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'upstream_unavailable' });
  });

  it('keeps admin and service answers apart: only admin answers carry the email', async () => {
    const asService = await call(app, 'get_player', { player_id: 12 });
    const asAdmin = await call(app, 'get_player', { player_id: 12 }, admin);
    const asServiceAgain = await call(app, 'get_player', { player_id: 12 });
    const asAdminAgain = await call(app, 'get_player', { player_id: 12 }, admin);
    expect(asService.body).not.toHaveProperty('email');
    expect(asServiceAgain.body).not.toHaveProperty('email');
    expect(asAdmin.body).toHaveProperty('email', expect.stringContaining('@'));
    expect(asAdminAgain.body).toEqual(asAdmin.body);
    expect(api.requestsTo('/api/players/12')).toBe(2);
  });

  it('does not keep failures: the next call asks squad-api again and gets the real answer', async () => {
    api.proxy.behaviour = { status: 503 };
    expect((await call(app, 'get_match', { match_id: 5 })).status).toBe(503);
    api.proxy.behaviour = 'forward';
    const res = await call(app, 'get_match', { match_id: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 5 });
    expect(api.requestsTo('/api/matches/5')).toBe(2);
  });

  it('does not keep not-found answers', async () => {
    expect((await call(app, 'get_player', { player_id: 987_654 })).body).toMatchObject({ code: 'not_found' });
    expect((await call(app, 'get_player', { player_id: 987_654 })).body).toMatchObject({ code: 'not_found' });
    expect(api.requestsTo('/api/players/987654')).toBe(2);
  });

  it('counts hits and misses per tool in /metrics', async () => {
    const hits = await cacheCount(app, 'get_match', 'hit');
    const misses = await cacheCount(app, 'get_match', 'miss');
    await call(app, 'get_match', { match_id: 6 });
    await call(app, 'get_match', { match_id: 6 });
    await call(app, 'get_match', { match_id: 6 });
    expect(await cacheCount(app, 'get_match', 'miss')).toBe(misses + 1);
    expect(await cacheCount(app, 'get_match', 'hit')).toBe(hits + 2);
  });

  it('leaves SQL tools uncached', async () => {
    await call(app, 'search_players', { limit: 1 });
    expect(await cacheCount(app, 'search_players', 'miss')).toBe(0);
    expect(await cacheCount(app, 'search_players', 'hit')).toBe(0);
  });

  it("shows a 2026-07-28 client the answer's remaining lifetime, and leaves 2025-era results as they were", async () => {
    const modern = await connectMcp(app.url, SERVICE_KEY, 'modern');
    const legacy = await connectMcp(app.url, SERVICE_KEY, 'legacy');
    try {
      const fresh = await modern.callTool({ name: 'get_player', arguments: { player_id: 13 } });
      expect(fresh._meta?.['squad-mcp/cache']).toEqual({ ttlMs: TTL_SECONDS * 1000, cacheScope: 'private' });
      clock.advance(5000);
      const reused = await modern.callTool({ name: 'get_player', arguments: { player_id: 13 } });
      const hint = reused._meta?.['squad-mcp/cache'] as { ttlMs: number };
      expect(hint.ttlMs).toBeGreaterThan(9000);
      expect(hint.ttlMs).toBeLessThanOrEqual(10_000);
      const old = await legacy.callTool({ name: 'get_player', arguments: { player_id: 13 } });
      expect(old.structuredContent).toEqual(reused.structuredContent);
      expect(old._meta?.['squad-mcp/cache']).toBeUndefined();
      const failed = await modern.callTool({ name: 'get_player', arguments: { player_id: 987_655 } });
      expect(failed.isError).toBe(true);
      expect(failed._meta?.['squad-mcp/cache']).toBeUndefined();
    } finally {
      await modern.close();
      await legacy.close();
    }
  });
});

describe('result cache and the end user', () => {
  const provider = new IdentityProvider();
  const clock = new TestClock();
  let api: CountedSquadApi;
  let app: TestApp;
  let tokenOfUser44: string;
  const asUser = (user: string, auth: Record<string, string> = service): Record<string, string> => ({ ...auth, 'X-User-ID': user });
  const forwardedUsers = (path: string): (string | undefined)[] => api.proxy.seen.filter((seen) => seen.url === path).map((seen) => seen.headers['x-user-id'] as string | undefined);

  beforeAll(async () => {
    await provider.start();
    const key = await newSigningKey('cache-key');
    provider.published = [key];
    tokenOfUser44 = await provider.sign(key, { sub: '44' }, { audience: 'https://squad-mcp.test/mcp', expiresIn: '10m' });
    api = await CountedSquadApi.start();
    app = await startTestApp(
      { ...CACHE_ON, API_BASE_URL: api.url, API_KEY_SECONDARY: 'test-second-service-key-012345', AUTH_ISSUER: provider.issuer, AUTH_AUDIENCE: 'https://squad-mcp.test/mcp' },
      { clock },
    );
  });

  afterAll(async () => {
    await app.close();
    await api.close();
    await provider.stop();
  });

  beforeEach(() => {
    api.proxy.seen.length = 0;
  });

  it('asks squad-api once per end user over REST, whether asserted by X-User-ID or carried by a token', async () => {
    const asked = [asUser('42'), asUser('43'), { Authorization: `Bearer ${tokenOfUser44}` }, asUser('42'), asUser('43')];
    for (const auth of asked) {
      expect((await call(app, 'get_squad', { squad_id: 5 }, auth)).status).toBe(200);
    }
    expect(forwardedUsers('/api/squads/5')).toEqual(['42', '43', '44']);
  });

  it('asks squad-api once per end user over MCP', async () => {
    const clients = await Promise.all(['42', '43', '42'].map((user) => connectMcp(app.url, SERVICE_KEY, 'modern', { 'X-User-ID': user })));
    try {
      for (const client of clients) {
        const result = await client.callTool({ name: 'get_event', arguments: { event_id: 6 } });
        expect(result.isError).toBeUndefined();
      }
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
    expect(forwardedUsers('/api/events/6')).toEqual(['42', '43']);
  });

  it('never shares an answer for one user across authorization contexts (another key asserting the same user)', async () => {
    await call(app, 'get_match', { match_id: 7 }, asUser('42'));
    await call(app, 'get_match', { match_id: 7 }, asUser('42', { Authorization: 'Bearer test-second-service-key-012345' }));
    expect(forwardedUsers('/api/matches/7')).toEqual(['42', '42']);
  });

  it('shares the answers of a tool declared the same for every user, and says so in the 2026-07-28 hint', async () => {
    const hits = await cacheCount(app, 'list_regions', 'hit');
    const first = await call(app, 'list_regions', {}, asUser('42'));
    const second = await call(app, 'list_regions', {}, asUser('43'));
    expect(second.body).toEqual(first.body);
    expect(await cacheCount(app, 'list_regions', 'hit')).toBe(hits + 1);
    const modern = await connectMcp(app.url, SERVICE_KEY, 'modern', { 'X-User-ID': '45' });
    try {
      const shared = await modern.callTool({ name: 'list_regions', arguments: {} });
      expect(shared._meta?.['squad-mcp/cache']).toMatchObject({ cacheScope: 'public' });
      const tailored = await modern.callTool({ name: 'get_squad', arguments: { squad_id: 8 } });
      expect(tailored._meta?.['squad-mcp/cache']).toMatchObject({ cacheScope: 'private' });
    } finally {
      await modern.close();
    }
  });
});

describe('result cache turned off', () => {
  let api: CountedSquadApi;
  let app: TestApp;

  beforeAll(async () => {
    api = await CountedSquadApi.start();
    app = await startTestApp({ ...CACHE_ON, RESULT_CACHE_TTL_SECONDS: '0', API_BASE_URL: api.url });
  });

  afterAll(async () => {
    await app.close();
    await api.close();
  });

  it('asks squad-api on every call with RESULT_CACHE_TTL_SECONDS=0, and gives 2026-07-28 clients no hint', async () => {
    // Metrics live in one registry per process, which every app of this file shares: compare, do not count.
    const misses = await cacheCount(app, 'get_player', 'miss');
    await call(app, 'get_player', { player_id: 14 });
    await call(app, 'get_player', { player_id: 14 });
    expect(api.requestsTo('/api/players/14')).toBe(2);
    expect(await cacheCount(app, 'get_player', 'miss')).toBe(misses);
    const modern = await connectMcp(app.url, SERVICE_KEY, 'modern');
    try {
      const result = await modern.callTool({ name: 'get_player', arguments: { player_id: 14 } });
      expect(result._meta?.['squad-mcp/cache']).toBeUndefined();
    } finally {
      await modern.close();
    }
  });
});

describe('result cache shared through Redis', () => {
  let api: CountedSquadApi;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    api = await CountedSquadApi.start();
    first = await startTestApp({ ...CACHE_ON, API_BASE_URL: api.url, REDIS_URL });
    second = await startTestApp({ ...CACHE_ON, API_BASE_URL: api.url, REDIS_URL });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await api.close();
  });

  it('answers on one instance from what another fetched, roles still apart', async () => {
    const hits = await cacheCount(second, 'get_player', 'hit');
    const fetched = await call(first, 'get_player', { player_id: 15 });
    const shared = await call(second, 'get_player', { player_id: 15 });
    expect(shared.body).toEqual(fetched.body);
    expect(api.requestsTo('/api/players/15')).toBe(1);
    expect(await cacheCount(second, 'get_player', 'hit')).toBe(hits + 1);
    const asAdmin = await call(second, 'get_player', { player_id: 15 }, admin);
    expect(asAdmin.body).toHaveProperty('email');
    expect(api.requestsTo('/api/players/15')).toBe(2);
  });
});

describe('result cache while Redis fails', () => {
  let api: CountedSquadApi;
  let redis: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    api = await CountedSquadApi.start();
    redis = new TcpProxy(TEST_REDIS_HOST, TEST_REDIS_PORT);
    const port = await redis.start();
    app = await startTestApp({ ...CACHE_ON, API_BASE_URL: api.url, REDIS_URL: redisUrlThrough(port) });
  });

  afterAll(async () => {
    await app.close();
    await redis.stop();
    await api.close();
  });

  const timed = async (args: object): Promise<{ status: number; ms: number }> => {
    const started = Date.now();
    const res = await call(app, 'get_player', args);
    return { status: res.status, ms: Date.now() - started };
  };

  const fallbackLines = (): number => app.logs.lines().filter((line) => line.event === 'result_cache_fallback').length;

  it('answers from squad-api and the local cache while Redis stalls, logging the outage once', async () => {
    expect((await timed({ player_id: 16 })).status).toBe(200);
    redis.mode = 'stall';
    // The first call of the outage may wait out the rate limiter's and the cache's command timeouts, no more.
    const first = await timed({ player_id: 17 });
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(15_000);
    // Once the outage is known, no call waits for Redis again: well under one rate-limit command timeout (1 s).
    const next = await timed({ player_id: 18 });
    expect(next.status).toBe(200);
    expect(next.ms).toBeLessThan(1000);
    const reused = await timed({ player_id: 17 });
    expect(reused.status).toBe(200);
    expect(api.requestsTo('/api/players/17')).toBe(1);
    expect(fallbackLines()).toBe(1);
  });

  it('answers while Redis refuses connections', async () => {
    redis.mode = 'refuse';
    const res = await timed({ player_id: 19 });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(fallbackLines()).toBe(1);
  });

  it('shares again once Redis answers, and says so once', async () => {
    redis.mode = 'forward';
    const recovered = async (): Promise<boolean> => {
      for (const deadline = Date.now() + 3000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        if (app.logs.lines().some((line) => line.event === 'result_cache_recovered')) {
          return true;
        }
      }
      return false;
    };
    expect(await recovered()).toBe(true);
    expect((await timed({ player_id: 20 })).status).toBe(200);
    expect(app.logs.lines().filter((line) => line.event === 'result_cache_recovered')).toHaveLength(1);
  });
});

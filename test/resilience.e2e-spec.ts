import { Client, Pool } from 'pg';
import request from 'supertest';

import { startDemoApi } from '../src/demo/demo-api';
import { seedDatabase } from '../src/demo/seed';
import { RecordingProxy } from './support/recording-proxy';
import { e2eDatabaseUrl, SERVICE_KEY, startTestApp, startTestAppBehindProxy, type TestApp } from './support/test-app';
import { createDatabase, dropDatabase } from './support/test-database';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const BASE_DELAY_MS = 40;

/** squad-mcp behind a real proxy that misbehaves on command, in front of the demo squad-api. */
describe('upstream faults', () => {
  let proxy: RecordingProxy;
  let app: TestApp;

  const getPlayer = () => request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
  const gaps = (): number[] => proxy.seen.slice(1).map((seen, index) => seen.at - proxy.seen[index]!.at);

  beforeAll(async () => {
    const started = await startTestAppBehindProxy({
      API_MAX_RETRIES: '3',
      API_RETRY_BASE_DELAY_MS: String(BASE_DELAY_MS),
      API_TIMEOUT_SECONDS: '0.25',
      API_DEADLINE_SECONDS: '2',
      API_BREAKER_FAILURES: '1000',
    });
    ({ proxy } = started);
    app = started;
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.script = [];
    proxy.behaviour = 'forward';
  });

  it('retries 500s with exponential backoff, then answers', async () => {
    proxy.script = [{ status: 500 }, { status: 500 }];
    const res = await getPlayer();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 5 });
    expect(proxy.seen).toHaveLength(3);
    const [first, second] = gaps();
    expect(first).toBeGreaterThanOrEqual(BASE_DELAY_MS);
    expect(second).toBeGreaterThanOrEqual(2 * BASE_DELAY_MS);
    expect(second).toBeGreaterThan(first!);
  });

  it('gives up after API_MAX_RETRIES retries of a failing squad-api with 503', async () => {
    proxy.behaviour = { status: 502 };
    const res = await getPlayer();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'upstream_unavailable', status: 'unavailable', error: 'Upstream service temporarily unavailable' });
    expect(proxy.seen).toHaveLength(4);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|502|proxy/);
  });

  it('does not retry a 404, which is not_found', async () => {
    proxy.behaviour = { status: 404, body: '{"detail":"Not found"}' };
    const res = await getPlayer();
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
    expect(proxy.seen).toHaveLength(1);
  });

  it('does not retry another 4xx, which breaks the contract', async () => {
    proxy.behaviour = { status: 422, body: '{"detail":[]}' };
    const res = await getPlayer();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_invalid' });
    expect(proxy.seen).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    proxy.script = [{ status: 429, headers: { 'Retry-After': '1' } }];
    const res = await getPlayer();
    expect(res.status).toBe(200);
    expect(proxy.seen).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(1000);
  });

  it('retries a connection reset', async () => {
    proxy.script = ['reset', 'reset'];
    const res = await getPlayer();
    expect(res.status).toBe(200);
    expect(proxy.seen).toHaveLength(3);
  });

  it('times out a slow squad-api per attempt and answers 504 upstream_timeout', async () => {
    proxy.behaviour = { delayMs: 1000 };
    const started = Date.now();
    const res = await getPlayer();
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ code: 'upstream_timeout', status: 'retry', error: 'API timeout' });
    // Four attempts, each cut at 250 ms: had an attempt waited for the 1 s answer, four would take 4 s.
    expect(proxy.seen).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(4 * 1000);
  });

  it('keeps SQL tools answering while squad-api is down', async () => {
    proxy.behaviour = 'reset';
    const rest = await getPlayer();
    expect(rest.status).toBe(503);
    const sql = await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 });
    expect(sql.status).toBe(200);
  });
});

describe('the total deadline', () => {
  it('answers with the last failure at once when the next retry could not start before API_DEADLINE_SECONDS', async () => {
    const proxy = new RecordingProxy('http://127.0.0.1:1');
    proxy.behaviour = { status: 503 };
    const app = await startTestApp({ API_BASE_URL: await proxy.start(), API_RETRY_BASE_DELAY_MS: '300', API_DEADLINE_SECONDS: '0.5' });
    try {
      const res = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'upstream_unavailable' });
      // 0 ms and 300 ms fit in the deadline; the retry due at 900 ms does not, and is not waited for.
      expect(proxy.seen).toHaveLength(2);
    } finally {
      await app.close();
      await proxy.stop();
    }
  });

  it('cuts an attempt still running at API_DEADLINE_SECONDS with upstream_timeout', async () => {
    const proxy = new RecordingProxy('http://127.0.0.1:1');
    proxy.behaviour = 'hang';
    const app = await startTestApp({ API_BASE_URL: await proxy.start(), API_TIMEOUT_SECONDS: '5', API_DEADLINE_SECONDS: '0.4' });
    try {
      const res = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ code: 'upstream_timeout' });
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await app.close();
      await proxy.stop();
    }
  });
});

describe('the circuit breaker', () => {
  let proxy: RecordingProxy;
  let app: TestApp;

  beforeAll(async () => {
    const started = await startTestAppBehindProxy({
      API_MAX_RETRIES: '0',
      API_BREAKER_FAILURES: '3',
      API_BREAKER_COOLDOWN_SECONDS: '0.3',
    });
    ({ proxy } = started);
    app = started;
  });

  afterAll(async () => {
    await app.close();
  });

  const breakerState = async (): Promise<number> => {
    const metrics = await request(app.url).get('/metrics');
    return Number(/^upstream_circuit_breaker_state (\d)/m.exec(metrics.text)![1]);
  };

  it('opens after consecutive failures, fails fast while open, and closes after a good probe', async () => {
    proxy.behaviour = { status: 500 };
    for (let call = 0; call < 3; call += 1) {
      expect((await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 })).status).toBe(503);
    }
    expect(proxy.seen).toHaveLength(3);
    expect(await breakerState()).toBe(1);
    const fast = await request(app.url).post('/v1/mcp/get_squad').set(auth).send({ squad_id: 1 });
    expect(fast.status).toBe(503);
    expect(fast.body).toMatchObject({ code: 'upstream_unavailable' });
    // Failing fast: the open breaker answered without a single attempt at squad-api.
    expect(proxy.seen).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 350));
    proxy.behaviour = 'forward';
    expect((await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 })).status).toBe(200);
    expect(proxy.seen).toHaveLength(4);
    expect(await breakerState()).toBe(0);
  });
});

describe('database faults', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: '300' });
  });

  afterAll(async () => {
    await app.close();
  });

  const stats = () => request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 });

  it('reconnects after its connections are killed with pg_terminate_backend', async () => {
    expect((await stats()).status).toBe(200);
    const killed = await app.db.query<{ n: number }>(
      "SELECT COUNT(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'squad-mcp' AND datname = current_database()",
    );
    expect(killed.rows[0]!.n).toBeGreaterThan(0);
    for (let call = 0; call < 5; call += 1) {
      expect((await stats()).status).toBe(200);
    }
  });

  it('answers 504 db_timeout when a statement outlives statement_timeout', async () => {
    const locker = new Client({ connectionString: e2eDatabaseUrl() });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE players IN ACCESS EXCLUSIVE MODE');
      const res = await stats();
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ code: 'db_timeout', status: 'retry', error: 'Query timeout' });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await stats()).status).toBe(200);
  });
});

describe('start-up without its dependencies', () => {
  it('starts unhealthy without the database and squad-api, then recovers by itself', async () => {
    const name = `squad_late_${process.pid}_${Date.now()}`;
    const lateUrl = new URL(e2eDatabaseUrl());
    lateUrl.pathname = `/${name}`;
    const proxy = new RecordingProxy('http://127.0.0.1:1');
    proxy.behaviour = 'reset';
    const app = await startTestApp({ DB_URL: lateUrl.toString(), API_BASE_URL: await proxy.start() });
    let pool: Pool | undefined;
    let demo: Awaited<ReturnType<typeof startDemoApi>> | undefined;
    try {
      const down = await request(app.url).get('/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'unhealthy', database: 'disconnected', upstream_api: 'unreachable' });

      await createDatabase(name);
      pool = new Pool({ connectionString: lateUrl.toString(), max: 2 });
      await seedDatabase(pool);
      demo = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
      proxy.retarget(demo.url);
      proxy.behaviour = 'forward';

      const up = await request(app.url).get('/health');
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ status: 'healthy', database: 'connected', upstream_api: 'responding' });
      expect((await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 3 })).status).toBe(200);
    } finally {
      await app.close();
      await proxy.stop();
      await demo?.close();
      await pool?.end();
      await dropDatabase(name);
    }
  });
});

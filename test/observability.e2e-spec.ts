import request from 'supertest';

import { connectMcp } from './support/mcp-client';
import type { RecordingProxy } from './support/recording-proxy';
import { SERVICE_KEY, startTestApp, startTestAppBehindProxy, type TestApp } from './support/test-app';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };

/** The value of one series in a Prometheus text exposition, or 0 when absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(app: TestApp): Promise<string> {
  const res = await request(app.url).get('/metrics');
  expect(res.status).toBe(200);
  return res.text;
}

describe('observability', () => {
  let app: TestApp;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    const started = await startTestAppBehindProxy();
    ({ proxy } = started);
    app = started;
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    proxy.behaviour = 'forward';
    proxy.seen.length = 0;
  });

  it('carries one request id through the response, every log line and the upstream request', async () => {
    const res = await request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'X-Request-ID': 'obs-trace-1', 'X-User-ID': '17' }).send({ player_id: 5 });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('obs-trace-1');
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]!.headers).toMatchObject({ 'x-request-id': 'obs-trace-1', 'x-user-id': '17' });
    const lines = app.logs.forRequest('obs-trace-1');
    // The request line of a protected route is its audit line: three lines a call, not four.
    expect(lines.map((line) => line.message)).toEqual(['get_player called', 'get_player succeeded', 'POST /v1/mcp/:tool 200: access allowed']);
    expect(lines[2]).toMatchObject({ event: 'audit', method: 'POST', route: '/v1/mcp/:tool', status_code: 200, result: 'allowed', latency_ms: expect.any(Number) as number });
    for (const line of lines) {
      expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(line.level).toBe('info');
    }
    expect(lines[1]).toMatchObject({
      tool_name: 'get_player',
      tool_version: '1.0.0',
      client_id: 'primary',
      user_id: '17',
      status: 'ok',
      latency_ms: expect.any(Number) as number,
    });
  });

  it('gives MCP calls a request id too, and logs them the same way', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    try {
      await client.callTool({ name: 'get_player', arguments: { player_id: 6 } });
    } finally {
      await client.close();
    }
    const forwarded = proxy.seen.at(-1)!.headers['x-request-id'] as string;
    expect(forwarded).toMatch(/^[0-9a-f-]{36}$/);
    const messages = app.logs.forRequest(forwarded).map((line) => line.message);
    expect(messages).toEqual(['get_player called', 'get_player succeeded', 'POST /mcp 200: access allowed']);
  });

  it('never logs keys, authorization headers or bodies', async () => {
    await request(app.url).post('/v1/mcp/search_players').set(auth).send({ query: 'secret-body-text' });
    const raw = app.logs.raw.join('\n');
    expect(raw).not.toContain(SERVICE_KEY);
    expect(raw).not.toContain('secret-body-text');
    expect(raw.toLowerCase()).not.toContain('bearer');
    expect(app.logs.lines().every((line) => 'request_id' in line && typeof line.timestamp === 'string')).toBe(true);
  });

  it('moves the tool, HTTP and database metric families', async () => {
    const before = await scrape(app);
    await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 });
    await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 'x' });
    const after = await scrape(app);
    const delta = (series: string): number => sample(after, series) - sample(before, series);
    expect(delta('tool_calls_total{tool_name="get_player_stats",status="ok"}')).toBe(1);
    expect(delta('tool_calls_total{tool_name="get_player_stats",status="invalid_input"}')).toBe(1);
    expect(delta('tool_duration_seconds_count{tool_name="get_player_stats"}')).toBe(2);
    expect(delta('http_requests_total{endpoint="/v1/mcp/:tool",method="POST",status_code="200"}')).toBe(1);
    expect(delta('http_requests_total{endpoint="/v1/mcp/:tool",method="POST",status_code="400"}')).toBe(1);
    expect(delta('db_query_duration_seconds_count{query_name="player_stats"}')).toBe(1);
    expect(after).toMatch(/^db_pool_connections\{state="total"\} \d+$/m);
    expect(after).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('counts upstream failures by status', async () => {
    const before = await scrape(app);
    proxy.behaviour = { status: 500 };
    const res = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'upstream_unavailable', error: 'Upstream service temporarily unavailable' });
    const after = await scrape(app);
    // The first attempt and three retries each failed.
    expect(sample(after, 'api_errors_total{source="upstream",status_code="500"}') - sample(before, 'api_errors_total{source="upstream",status_code="500"}')).toBe(4);
    expect(sample(after, 'tool_calls_total{tool_name="get_player",status="upstream_unavailable"}')).toBeGreaterThan(0);
  });

  it('reports health with every dependency up', async () => {
    const res = await request(app.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', database: 'connected', upstream_api: 'responding' });
    expect(typeof (res.body as { memory_usage_percent: unknown }).memory_usage_percent).toBe('number');
    expect((await request(app.url).get('/health/ready')).status).toBe(200);
    expect((await request(app.url).get('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('reports degraded, not unhealthy, while squad-api is down', async () => {
    proxy.behaviour = 'reset';
    const res = await request(app.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', database: 'connected', upstream_api: 'unreachable' });
    // The SQL tools still serve, so the replica stays in service.
    expect((await request(app.url).get('/health/ready')).status).toBe(200);
  });
});

describe('health with the database down', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ DB_URL: 'postgres://postgres@127.0.0.1:1/squad' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('is unhealthy (503) while liveness stays 200', async () => {
    const health = await request(app.url).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', database: 'disconnected', checks: { database: { status: 'down' } } });
    expect(JSON.stringify(health.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|5432/);
    expect((await request(app.url).get('/health/live')).status).toBe(200);
    expect((await request(app.url).get('/health/ready')).status).toBe(503);
  });

  it('answers SQL tools with db_unavailable, after 3 reconnect attempts, while REST tools keep working', async () => {
    const series = 'api_errors_total{source="database",status_code="db_unavailable"}';
    const before = sample(await scrape(app), series);
    const sql = await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 });
    expect(sql.status).toBe(503);
    expect(sample(await scrape(app), series) - before).toBe(4);
    expect(sql.body).toMatchObject({ code: 'db_unavailable', error: 'Data service temporarily unavailable' });
    const rest = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
    expect(rest.status).toBe(200);
  });
});

describe('/metrics allow-list', () => {
  it.each([
    ['10.0.0.0/8', 403],
    ['127.0.0.0/8,10.0.0.0/8', 200],
  ])('with METRICS_ALLOWED_CIDRS=%s answers a loopback scrape with %i', async (cidrs, status) => {
    const app = await startTestApp({ METRICS_ALLOWED_CIDRS: cidrs });
    try {
      expect((await request(app.url).get('/metrics')).status).toBe(status);
    } finally {
      await app.close();
    }
  });
});

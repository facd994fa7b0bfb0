import { createServer } from 'node:net';

import request from 'supertest';

import type { Behaviour } from './support/recording-proxy';
import { type RecordingProxy } from './support/recording-proxy';
import { ADMIN_KEY, SERVICE_KEY, startTestApp, startTestAppBehindProxy, type TestApp } from './support/test-app';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const SERVICE_TOKEN = 'svc-token-never-logged-7f3a9c';
const RETRIES = 2;

type Proxied = TestApp & { proxy: RecordingProxy };

const getPlayer = (app: TestApp) => request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });

const breakerState = async (app: TestApp): Promise<number> => {
  const metrics = await request(app.url).get('/metrics');
  return Number(/^upstream_circuit_breaker_state (\d)/m.exec(metrics.text)![1]);
};

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectNoSecretsIn(app: TestApp): void {
  const log = app.logs.raw.join('\n');
  expect(log).not.toContain(SERVICE_TOKEN);
  expect(log).not.toContain(SERVICE_KEY);
  expect(log).not.toContain(ADMIN_KEY);
  expect(log).not.toMatch(/"headers"\s*:\s*\{[^}]*[Aa]uthorization/);
}

/** Every way squad-api can fail, each through a real server that fails that way, and the answer callers get. */
describe('squad-api failure modes', () => {
  let app: Proxied;

  beforeAll(async () => {
    app = await startTestAppBehindProxy({
      SERVICE_AUTH_TOKEN: SERVICE_TOKEN,
      API_MAX_RETRIES: String(RETRIES),
      API_RETRY_BASE_DELAY_MS: '10',
      API_TIMEOUT_SECONDS: '0.2',
      API_DEADLINE_SECONDS: '5',
      API_BREAKER_FAILURES: '1000',
    });
  });

  afterAll(async () => {
    expectNoSecretsIn(app);
    await app.close();
  });

  beforeEach(() => {
    app.proxy.seen.length = 0;
    app.proxy.script = [];
    app.proxy.behaviour = 'forward';
  });

  const retried = 1 + RETRIES;
  const cases: [string, number, string, number, Behaviour][] = [
    ['a connection reset', 503, 'upstream_unavailable', retried, 'reset'],
    ['a hang', 504, 'upstream_timeout', retried, 'hang'],
    ['a body cut short of its Content-Length', 503, 'upstream_unavailable', retried, 'truncate'],
    ['a connection reset mid-body', 503, 'upstream_unavailable', retried, 'reset_mid_body'],
    ['a 500', 503, 'upstream_unavailable', retried, { status: 500 }],
    ['a 503', 503, 'upstream_unavailable', retried, { status: 503 }],
    ['a 408', 503, 'upstream_unavailable', retried, { status: 408 }],
    ['a 429 without Retry-After', 503, 'upstream_unavailable', retried, { status: 429 }],
    ['a 429 with a short Retry-After', 503, 'upstream_unavailable', retried, { status: 429, headers: { 'Retry-After': '0' } }],
    ['a 429 with a Retry-After beyond the cap', 503, 'upstream_unavailable', 1, { status: 429, headers: { 'Retry-After': '3600' } }],
    ['a 401 (squad-api refuses our token)', 503, 'upstream_unavailable', 1, { status: 401, body: '{"detail":"Not authenticated"}' }],
    ['a 422 (a request squad-api does not accept)', 502, 'upstream_invalid', 1, { status: 422, body: '{"detail":[]}' }],
    ['a 200 with invalid JSON', 502, 'upstream_invalid', 1, { status: 200, body: '{"id":5,' }],
    ['a 200 with an HTML page', 502, 'upstream_invalid', 1, { status: 200, body: '<html><body>Bad gateway</body></html>', headers: { 'Content-Type': 'text/html' } }],
    ['a 200 with a JSON string', 502, 'upstream_invalid', 1, { status: 200, body: '"hello"' }],
    ['a 200 with an empty body', 502, 'upstream_invalid', 1, { status: 200, body: '' }],
    ['a redirect', 502, 'upstream_invalid', 1, { status: 302, body: '', headers: { Location: 'http://169.254.169.254/latest/meta-data' } }],
    ['a 404', 404, 'not_found', 1, { status: 404, body: '{"detail":"Not found"}' }],
  ];

  it.each(cases)('answers %s with %i %s after %i attempt(s)', async (_label, status, code, attempts, behaviour) => {
    app.proxy.behaviour = behaviour;
    const res = await getPlayer(app);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code });
    expect(app.proxy.seen).toHaveLength(attempts);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|169\.254|axios|aborted/);
  });

  it('recovers from a truncated body on a retry', async () => {
    app.proxy.script = ['truncate', 'reset_mid_body'];
    const res = await getPlayer(app);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 5 });
    expect(app.proxy.seen).toHaveLength(3);
  });

  it('logs each failed attempt as a named event with its code, upstream status, attempt and elapsed time', async () => {
    app.proxy.behaviour = { status: 503 };
    const res = await getPlayer(app);
    const lines = app.logs.forRequest(res.headers['x-request-id'] as string).filter((line) => line.event === 'upstream_attempt_failed');
    expect(lines).toHaveLength(retried);
    expect(lines.map((line) => line.attempt)).toEqual([1, 2, 3]);
    for (const line of lines) {
      expect(line).toMatchObject({ code: 'upstream_unavailable', upstream_status: 503, reason: 'status_503' });
      expect(typeof line.elapsed_ms).toBe('number');
      expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['config', 'err', 'headers', 'request']));
    }
  });

  it('answers 503 upstream_unavailable when squad-api refuses connections', async () => {
    const refused = await startTestApp({ API_BASE_URL: `http://127.0.0.1:${await closedPort()}`, SERVICE_AUTH_TOKEN: SERVICE_TOKEN, API_MAX_RETRIES: '1' });
    try {
      const res = await getPlayer(refused);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'upstream_unavailable' });
    } finally {
      await refused.close();
    }
  });
});

describe('the circuit breaker under faults', () => {
  let app: Proxied;

  beforeAll(async () => {
    app = await startTestAppBehindProxy({
      SERVICE_AUTH_TOKEN: SERVICE_TOKEN,
      API_MAX_RETRIES: '3',
      API_RETRY_BASE_DELAY_MS: '5',
      API_TIMEOUT_SECONDS: '1',
      API_BREAKER_FAILURES: '4',
      API_BREAKER_COOLDOWN_SECONDS: '0.2',
    });
  });

  afterAll(async () => {
    expectNoSecretsIn(app);
    await app.close();
  });

  beforeEach(async () => {
    app.proxy.script = [];
    app.proxy.behaviour = 'forward';
    await new Promise((resolve) => setTimeout(resolve, 250));
    // Close the breaker left by the previous test with one good call.
    expect((await getPlayer(app)).status).toBe(200);
    app.proxy.seen.length = 0;
  });

  const openWith = async (behaviour: Behaviour): Promise<void> => {
    app.proxy.behaviour = behaviour;
    expect((await getPlayer(app)).status).toBe(503);
    expect(await breakerState(app)).toBe(1);
  };

  it('counts failed attempts, so one call retried four times opens it', async () => {
    await openWith({ status: 500 });
    expect(app.proxy.seen).toHaveLength(4);
    const fast = await request(app.url).post('/v1/mcp/get_squad').set(auth).send({ squad_id: 1 });
    expect(fast.status).toBe(503);
    expect(fast.body).toMatchObject({ code: 'upstream_unavailable' });
    expect(app.proxy.seen).toHaveLength(4);
  });

  it('counts truncated bodies as failures', async () => {
    await openWith('truncate');
    expect(app.proxy.seen).toHaveLength(4);
  });

  it('lets one probe through while half-open and fails every other caller at once', async () => {
    await openWith({ status: 500 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    app.proxy.behaviour = 'hang';
    app.proxy.seen.length = 0;
    const finished: string[] = [];
    const probe = getPlayer(app).then((res) => {
      finished.push('probe');
      return res;
    });
    while (app.proxy.seen.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const others = await Promise.all(
      Array.from({ length: 5 }, () =>
        getPlayer(app).then((res) => {
          finished.push('other');
          return res;
        }),
      ),
    );
    expect(others.map((res) => res.status)).toEqual([503, 503, 503, 503, 503]);
    expect(finished.slice(0, 5)).toEqual(['other', 'other', 'other', 'other', 'other']);
    expect((await probe).status).toBe(504);
    expect(app.proxy.seen).toHaveLength(1);
  });

  it('stays open when the probe fails in a way other than a status', async () => {
    await openWith({ status: 500 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    app.proxy.behaviour = 'truncate';
    app.proxy.seen.length = 0;
    expect((await getPlayer(app)).status).toBe(503);
    expect(app.proxy.seen).toHaveLength(1);
    expect(await breakerState(app)).toBe(1);
    expect((await getPlayer(app)).status).toBe(503);
    expect(app.proxy.seen).toHaveLength(1);
  });

  it('closes after a probe that succeeds', async () => {
    await openWith({ status: 500 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    app.proxy.behaviour = 'forward';
    expect((await getPlayer(app)).status).toBe(200);
    expect(await breakerState(app)).toBe(0);
  });
});

describe('the upstream queue', () => {
  let app: Proxied;

  beforeAll(async () => {
    app = await startTestAppBehindProxy({
      API_MAX_CONNECTIONS: '2',
      API_MAX_QUEUE: '2',
      API_MAX_RETRIES: '0',
      API_TIMEOUT_SECONDS: '2',
      API_BREAKER_FAILURES: '1000',
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers calls beyond its connections and queue with 503 at once', async () => {
    app.proxy.behaviour = { delayMs: 300 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => getPlayer(app)));
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(4);
    expect(statuses.filter((status) => status === 503)).toHaveLength(6);
    expect(answers.filter((res) => res.status === 503).every((res) => (res.body as { code: string }).code === 'upstream_unavailable')).toBe(true);
    expect(app.proxy.seen).toHaveLength(4);
    const metrics = await request(app.url).get('/metrics');
    expect(metrics.text).toMatch(/^api_errors_total\{source="upstream",status_code="queue_full"\} 6$/m);
  });

  it('probes squad-api for /health on its own connection, not behind tool calls', async () => {
    app.proxy.behaviour = 'hang';
    app.proxy.exempt = /^\/api\/health$/;
    const hung = Array.from({ length: 4 }, () => getPlayer(app).then((res) => res.status));
    while (app.proxy.seen.length < 6) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const health = await request(app.url).get('/health');
    expect(health.body).toMatchObject({ upstream_api: 'responding' });
    expect((health.body as { checks: { upstream_api: { latency_ms: number } } }).checks.upstream_api.latency_ms).toBeLessThan(1000);
    app.proxy.exempt = undefined;
    await Promise.all(hung);
  });
});

describe('readiness during a squad-api outage', () => {
  it('stays ready while squad-api is down, and says so in /health', async () => {
    const app = await startTestAppBehindProxy({ API_MAX_RETRIES: '0' });
    try {
      app.proxy.behaviour = 'reset';
      const ready = await request(app.url).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { database: { status: 'up' } } });
      const health = await request(app.url).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', upstream_api: 'unreachable', database: 'connected' });
      expect((await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 })).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('calls queued when the breaker opens', () => {
  it('are refused at once instead of each waiting for a connection to a failing squad-api', async () => {
    const app = await startTestAppBehindProxy({
      API_MAX_CONNECTIONS: '1',
      API_MAX_QUEUE: '5',
      API_MAX_RETRIES: '0',
      API_TIMEOUT_SECONDS: '0.3',
      API_BREAKER_FAILURES: '1',
      API_BREAKER_COOLDOWN_SECONDS: '60',
    });
    try {
      app.proxy.behaviour = 'hang';
      const answers = await Promise.all(Array.from({ length: 4 }, () => getPlayer(app).then((res) => `${res.status} ${(res.body as { code: string }).code}`)));
      expect(answers.sort()).toEqual(['503 upstream_unavailable', '503 upstream_unavailable', '503 upstream_unavailable', '504 upstream_timeout']);
      expect(app.proxy.seen).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

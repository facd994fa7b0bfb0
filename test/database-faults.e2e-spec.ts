import { Client } from 'pg';
import request from 'supertest';

import { e2eDatabaseUrl, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const STATEMENT_TIMEOUT_MS = 500;

const sample = (text: string, series: string): number => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

describe('a saturated database pool', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ DB_POOL_SIZE: '1', DB_POOL_MAX_OVERFLOW: '1', DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) });
  });

  afterAll(async () => {
    expect(app.logs.raw.join('\n')).not.toContain(SERVICE_KEY);
    await app.close();
  });

  it('refuses queued calls after the acquire timeout, without retrying, and reports saturation as such', async () => {
    const locker = new Client({ connectionString: e2eDatabaseUrl() });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE players IN ACCESS EXCLUSIVE MODE');
      const timed = Array.from({ length: 12 }, async () => {
        const started = Date.now();
        const res = await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 });
        return { status: res.status, code: (res.body as { code: string }).code, ms: Date.now() - started };
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [metrics, health] = await Promise.all([request(app.url).get('/metrics'), request(app.url).get('/health')]);
      expect(sample(metrics.text, 'db_pool_connections{state="waiting"}')).toBeGreaterThan(1);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', database: 'saturated' });
      expect((await request(app.url).get('/health/ready')).status).toBe(200);

      const answers = await Promise.all(timed);
      expect(new Set(answers.map((answer) => `${answer.status} ${answer.code}`))).toEqual(new Set(['504 db_timeout', '503 db_unavailable']));
      // Acquire (at most the statement timeout) plus the statement, never a retried acquire.
      expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(4 * STATEMENT_TIMEOUT_MS);
      const after = (await request(app.url).get('/metrics')).text;
      const saturated = sample(after, 'api_errors_total{source="database",status_code="db_saturated"}');
      expect(saturated).toBe(answers.filter((answer) => answer.status === 503).length);
      expect(app.logs.lines().filter((line) => line.event === 'db_saturated')).toHaveLength(saturated);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 5 })).status).toBe(200);
  });
});

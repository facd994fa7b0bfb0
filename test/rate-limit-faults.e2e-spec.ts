import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import request from 'supertest';

import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, type TestApp } from './support/test-app';
import { redisUrlThrough, TEST_REDIS_HOST, TEST_REDIS_PORT } from './support/test-redis';

async function healthOf(app: TestApp): Promise<{ status: string; checks: { rate_limiter: { backend: string } } }> {
  return (await request(app.url).get('/health')).body as { status: string; checks: { rate_limiter: { backend: string } } };
}

async function until(condition: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await condition()) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('rate limits while Redis stalls', () => {
  const key = `sqk_${randomBytes(16).toString('hex')}`;
  const clientId = `stall-${randomBytes(4).toString('hex')}`;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    const file = join(tmpdir(), `squad-keys-${clientId}.json`);
    await writeFile(file, JSON.stringify([{ id: clientId, sha256: createHash('sha256').update(key).digest('hex'), roles: ['service'] }]));
    proxy = new TcpProxy(TEST_REDIS_HOST, TEST_REDIS_PORT);
    const port = await proxy.start();
    app = await startTestApp({ REDIS_URL: redisUrlThrough(port), API_KEYS_FILE: file, RATE_LIMIT_RPM: '1000' });
  });

  afterAll(async () => {
    expect(app.logs.raw.join('\n')).not.toContain(key);
    await app.close();
    await proxy.stop();
  });

  const timedCall = async (): Promise<{ status: number; ms: number }> => {
    const started = Date.now();
    const res = await request(app.url).post('/v1/mcp/search_players').set('Authorization', `Bearer ${key}`).send({ limit: 1 });
    return { status: res.status, ms: Date.now() - started };
  };

  it('pays at most one command timeout, counts in memory meanwhile, and returns to Redis when it answers', async () => {
    expect(await until(async () => (await healthOf(app)).checks.rate_limiter.backend === 'redis', 3000)).toBe(true);
    expect((await timedCall()).status).toBe(200);
    // A start-up slower than the probe interval is an outage of its own, logged before this one.
    const logged = (event: string) => app.logs.lines().filter((line) => line.event === event).length;
    const fallbacksBefore = logged('rate_limit_fallback');
    const recoveriesBefore = logged('rate_limit_recovered');

    proxy.mode = 'stall';
    const calls: { status: number; ms: number }[] = [];
    for (let call = 0; call < 6; call += 1) {
      calls.push(await timedCall());
    }
    expect(calls.map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Only the first call meets the stalled Redis (its 1 s command timeout); the rest count in memory.
    expect(calls.filter((call) => call.ms >= 700)).toHaveLength(1);
    expect(await healthOf(app)).toMatchObject({ status: 'degraded', checks: { rate_limiter: { backend: 'memory_fallback' } } });
    expect(logged('rate_limit_fallback') - fallbacksBefore).toBe(1);

    proxy.mode = 'forward';
    expect(await until(async () => (await healthOf(app)).checks.rate_limiter.backend === 'redis', 3000)).toBe(true);
    expect(logged('rate_limit_recovered') - recoveriesBefore).toBe(1);
    expect((await timedCall()).status).toBe(200);
  });
});

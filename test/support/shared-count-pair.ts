import Redis from 'ioredis';

import { callerCounter } from '../../src/auth/rate-limit-counters';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';
import { SHARED_COUNT_ENV, TEST_REDIS_URL, untilCountingInRedis } from './test-redis';

export interface SharedCountPair {
  readonly first: TestApp;
  readonly second: TestApp;
  readonly clock: TestClock;
}

/**
 * Two instances counting calls in the same Redis under one test clock, for the enclosing describe
 * block. Before each test both count in Redis again and the named clients' windows are emptied.
 */
export function twoInstancesSharingRedis(env: () => Promise<Record<string, string>>, clientIds: readonly string[]): SharedCountPair {
  const redis = new Redis(TEST_REDIS_URL);
  const clock = new TestClock();
  let apps: [TestApp, TestApp] | undefined;
  const started = (): [TestApp, TestApp] => {
    if (apps === undefined) {
      throw new Error('the two instances start in beforeAll');
    }
    return apps;
  };

  beforeAll(async () => {
    const settings = { ...SHARED_COUNT_ENV, ...(await env()) };
    apps = [await startTestApp(settings, { clock }), await startTestApp(settings, { clock })];
  });

  afterAll(async () => {
    await apps?.[0].close();
    await apps?.[1].close();
    await redis.quit();
  });

  beforeEach(async () => {
    const [first, second] = started();
    await untilCountingInRedis(first.url, second.url);
    await redis.del(...clientIds.map((id) => `squad-mcp:window:${callerCounter('key', id)}`));
  });

  return {
    get first() {
      return started()[0];
    },
    get second() {
      return started()[1];
    },
    clock,
  };
}

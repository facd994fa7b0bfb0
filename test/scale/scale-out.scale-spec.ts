import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import Redis from 'ioredis';
import { Client } from 'pg';

import { type Row, row, table } from './support/report';
import { LIMITED_KEY, LIMITED_RPM, SERVICE_KEY, Stack, STATEMENT_TIMEOUT_MS } from './support/stack';
import { type CallRecord, LimitedCaller, Traffic } from './support/traffic';

const RATE = 200;
const PHASE_MS = 5000;
const LIMITED_RUN_MS = 70_000;
const WINDOW_MS = 60_000;

/** What the run measured besides the calls. */
interface Run {
  drainExitCodes: (number | null)[];
  pgbouncer: { downAt: number; upAt: number };
  killedAt: number;
  markedDownAt: number;
  inFlightOnKilled: number;
  redisDownMs: number;
  backendsAfterRedis: string[];
  windowKeysAfterRedis: number;
  retries: number;
  redispatches: number;
}

async function rateLimiterBackend(port: number): Promise<string> {
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { checks: { rate_limiter: { backend: string } } };
  return health.checks.rate_limiter.backend;
}

describe('three squad-mcp replicas behind HAProxy, PostgreSQL through PgBouncer, Redis', () => {
  let stack: Stack;
  let traffic: Traffic;
  let limited: LimitedCaller;
  const run = {} as Run;
  const calls = (phase: string): CallRecord[] => traffic.records.filter((record) => record.phase === phase);

  beforeAll(async () => {
    const loadAtStart = loadavg()[0]!;
    stack = await Stack.start();
    traffic = new Traffic(stack.url, SERVICE_KEY, RATE);
    limited = new LimitedCaller(stack.url, LIMITED_KEY, 4);

    traffic.start();
    await sleep(PHASE_MS);
    traffic.phase = 'steady';
    const limitedRun = limited.start(LIMITED_RUN_MS);
    await sleep(PHASE_MS);

    traffic.phase = 'rolling restart';
    run.drainExitCodes = [];
    for (let index = 0; index < 3; index += 1) {
      run.drainExitCodes.push(await stack.replicas[index]!.stop('SIGTERM'));
      await stack.startReplica(index);
      await stack.admin.untilUp(index);
    }

    traffic.phase = 'PgBouncer restart';
    run.pgbouncer = await stack.restartPgBouncer();
    await sleep(3000);

    traffic.phase = 'replica killed';
    run.inFlightOnKilled = Number((await stack.admin.server(1)).scur);
    run.killedAt = Date.now();
    const killed = stack.replicas[1]!.stop('SIGKILL');
    run.markedDownAt = await stack.admin.until(1, 'DOWN', 10_000);
    await killed;
    await sleep(1500);
    await stack.startReplica(1);
    await stack.admin.untilUp(1);

    traffic.phase = 'steady again';
    await limitedRun;

    // Last: while Redis is away each replica counts limits in memory, which the 20/min key above must not see.
    traffic.phase = 'Redis restart';
    run.redisDownMs = (await stack.restartRedis()).downMs;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      run.backendsAfterRedis = await Promise.all(stack.replicaPorts.map(rateLimiterBackend));
      if (run.backendsAfterRedis.every((backend) => backend === 'redis')) {
        break;
      }
      await sleep(100);
    }
    await sleep(2000);
    await traffic.stop();
    const redis = new Redis(stack.redisPort, '127.0.0.1');
    run.windowKeysAfterRedis = (await redis.keys('squad-mcp:window:*')).length;
    await redis.quit();
    const backend = (await stack.admin.stats()).get('BACKEND')!;
    run.retries = Number(backend.wretr);
    run.redispatches = Number(backend.wredis);

    const limitedCalls = limited.records;
    const rows: Row[] = [
      row('cold', calls('cold'), 'first 5 s after start'),
      row('steady', calls('steady')),
      row('rolling restart', calls('rolling restart'), `drain exit codes ${run.drainExitCodes.join(', ')}`),
      row('PgBouncer restart', calls('PgBouncer restart'), `down ${run.pgbouncer.upAt - run.pgbouncer.downAt} ms`),
      row('replica killed', calls('replica killed'), `marked down after ${run.markedDownAt - run.killedAt} ms, ${run.inFlightOnKilled} in flight on it`),
      row('steady again', calls('steady again')),
      row('Redis restart', calls('Redis restart'), `down ${run.redisDownMs} ms, then ${run.backendsAfterRedis.join('/')}`),
      row(`${LIMITED_RPM}/min key`, limitedCalls.filter((record) => record.code !== 'rate_limited'), `${limitedCalls.filter((record) => record.ok).length} answered, ${limitedCalls.filter((record) => record.code === 'rate_limited').length} refused in ${LIMITED_RUN_MS / 1000} s`),
      row('whole run', traffic.records, `${RATE}/s; HAProxy retried ${run.retries}, redispatched ${run.redispatches}`),
    ];
    // Other work on the machine shows in the figures: say how busy it was.
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the end (${loadAtStart.toFixed(1)} at the start)`;
    process.stdout.write(`\nScale-out run, ${load}; logs in ${stack.dir}\n${table(rows.filter((line) => line.calls > 0))}\n\n`);
  }, 300_000);

  afterAll(async () => {
    // Each exists unless start-up failed before it; jest then reports that failure. The stack
    // goes first, so calls still waiting after a failed run end at once.
    await (stack as Stack | undefined)?.stop();
    await (limited as LimitedCaller | undefined)?.stop();
    await (traffic as Traffic | undefined)?.stop();
  }, 120_000);

  it('keeps the rate and loses no call from a cold start through a steady minute', () => {
    const steady = [...calls('cold'), ...calls('steady'), ...calls('steady again')];
    expect(steady.filter((record) => !record.ok)).toEqual([]);
    expect(calls('steady').length).toBeGreaterThanOrEqual(RATE * (PHASE_MS / 1000) * 0.9);
  });

  it('loses no call while the three replicas restart one after another, each draining cleanly', () => {
    expect(run.drainExitCodes).toEqual([0, 0, 0]);
    expect(calls('rolling restart').length).toBeGreaterThan(RATE * 5);
    expect(calls('rolling restart').filter((record) => !record.ok)).toEqual([]);
  });

  it('fails calls only with db_unavailable while PgBouncer restarts, and recovers within 2 s', () => {
    const failed = calls('PgBouncer restart').filter((record) => !record.ok);
    expect(failed.filter((record) => record.code !== 'db_unavailable')).toEqual([]);
    const recovered = Math.max(run.pgbouncer.upAt, ...failed.map((record) => record.endedAt));
    expect(recovered - run.pgbouncer.upAt).toBeLessThanOrEqual(2000);
    expect(failed.filter((record) => record.endedAt < run.pgbouncer.downAt)).toEqual([]);
  });

  it('loses at most the calls in flight on a killed replica, none once HAProxy marks it down within 2 s', () => {
    expect(run.markedDownAt - run.killedAt).toBeLessThanOrEqual(2000);
    const failed = calls('replica killed').filter((record) => !record.ok);
    expect(failed.length).toBeLessThanOrEqual(run.inFlightOnKilled);
    expect(failed.filter((record) => record.startedAt >= run.markedDownAt)).toEqual([]);
  });

  it('loses no call while Redis restarts, and every replica counts limits in Redis again afterwards', () => {
    expect(calls('Redis restart').length).toBeGreaterThan(RATE);
    expect(calls('Redis restart').filter((record) => !record.ok)).toEqual([]);
    expect(run.backendsAfterRedis).toEqual(['redis', 'redis', 'redis']);
    expect(run.windowKeysAfterRedis).toBeGreaterThan(0);
  });

  it(`answers exactly ${LIMITED_RPM} calls of a ${LIMITED_RPM}-per-minute key in any 60 s across the three replicas`, () => {
    const records = limited.records;
    expect(records.filter((record) => !record.ok && record.code !== 'rate_limited')).toEqual([]);
    const answered = records.filter((record) => record.ok);
    // The first minute's budget is spent at once...
    expect(answered.length).toBeGreaterThan(LIMITED_RPM);
    expect(answered[LIMITED_RPM - 1]!.endedAt - answered[0]!.startedAt).toBeLessThan(WINDOW_MS);
    // ...and no 60 s holds more: a call's count happens between its start and its answer, so the
    // (n+20)th answer cannot come within 60 s of the nth call's start.
    for (let index = 0; index + LIMITED_RPM < answered.length; index += 1) {
      expect(answered[index + LIMITED_RPM]!.endedAt - answered[index]!.startedAt).toBeGreaterThanOrEqual(WINDOW_MS);
    }
    expect(records.filter((record) => record.code === 'rate_limited').length).toBeGreaterThan(0);
  });

  it('runs every statement through PgBouncer read-only and under the statement timeout, set on the role', async () => {
    // As the replicas connect: the startup options are ignored by PgBouncer, the role's settings hold.
    const client = new Client({ connectionString: `postgres://${stack.role}@127.0.0.1:${stack.pgbouncerPort}/squad`, options: '-c statement_timeout=1' });
    await client.connect();
    try {
      expect((await client.query<{ default_transaction_read_only: string }>('SHOW default_transaction_read_only')).rows[0]!.default_transaction_read_only).toBe('on');
      expect((await client.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS / 1000}s`);
      await expect(client.query('CREATE TABLE scale_probe (id int)')).rejects.toThrow(/read-only transaction/);
    } finally {
      await client.end();
    }
  });
});

import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

import { ErrorCode } from '../common/errors/error-code';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../observability/metrics';
import { SqlSpans } from '../observability/tracing/sql-spans';
import { Tracing } from '../observability/tracing/tracing';
import { ReadOnlyGateway } from './read-only-gateway';
import type { SqlQuery } from './sql-query';

const DB_URL = process.env.SQUAD_E2E_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function gateway(env: Record<string, string> = {}): ReadOnlyGateway {
  return new ReadOnlyGateway(loadConfig({ DB_URL, DB_POOL_SIZE: '1', DB_POOL_MAX_OVERFLOW: '1', ...env }), Metrics.detached(), new SqlSpans(Tracing.off));
}

// Statement names are per text, as the repositories' are: one name never stands for two texts.
const names = new Map<string, string>();
const query = (text: string, params: readonly string[] = []): SqlQuery => {
  const name = names.get(text) ?? `probe_${names.size + 1}`;
  names.set(text, name);
  return { name, text, params };
};

describe('ReadOnlyGateway', () => {
  let subject: ReadOnlyGateway;

  beforeAll(() => {
    subject = gateway({ DB_STATEMENT_TIMEOUT_MS: '200' });
  });

  afterAll(async () => {
    await subject.onModuleDestroy();
  });

  it('binds named values in the compiled order and returns rows', async () => {
    const rows = await subject.rows<{ a: number; b: string }, string>(query('SELECT $1::int AS a, $2::text AS b', ['x', 'y']), {
      y: 'why',
      x: 41,
    });
    expect(rows).toEqual([{ a: 41, b: 'why' }]);
  });

  it('binds a missing optional value as NULL', async () => {
    const rows = await subject.rows<{ a: number | null }, string>(query('SELECT $1::int AS a', ['x']), {});
    expect(rows).toEqual([{ a: null }]);
  });

  it.each([
    ['INSERT', "INSERT INTO pg_temp.nothing VALUES (1)"],
    ['UPDATE', "UPDATE pg_database SET datallowconn = datallowconn WHERE false"],
    ['DELETE', 'DELETE FROM pg_description WHERE false'],
    ['DDL', 'CREATE TABLE squad_write_probe (x int)'],
    ['a data-modifying CTE', 'WITH gone AS (DELETE FROM pg_description WHERE false RETURNING 1) SELECT COUNT(*) FROM gone'],
    ['SELECT … FOR UPDATE', 'SELECT 1 FROM pg_database FOR UPDATE'],
    ['set_config to leave read-only mode', "SELECT set_config('transaction_read_only', 'off', true)"],
  ])('lets PostgreSQL refuse a write (%s) on its read-only connections', async (_label, text) => {
    const failure = await subject.rows(query(text), {}).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: ErrorCode.Internal, message: 'Internal error' });
    // 25006 read_only_sql_transaction; 25001 read-write mode asked for too late; 42P01 the temp table never exists.
    expect((failure as { cause: { code: string } }).cause.code).toMatch(/^(25006|25001|42P01)$/);
  });

  it('refuses to smuggle a second statement after COMMIT', async () => {
    const failure = await subject.rows(query('COMMIT; CREATE TABLE squad_write_probe (x int)'), {}).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: ErrorCode.Internal });
    // Either the extended protocol refuses two statements (42601) or the second one meets read-only mode.
    expect((failure as { cause: { code: string } }).cause.code).toMatch(/^(42601|25006)$/);
    const exists = await subject.rows<{ found: boolean }, string>(query("SELECT to_regclass('squad_write_probe') IS NOT NULL AS found"), {});
    expect(exists).toEqual([{ found: false }]);
  });

  it('sets default_transaction_read_only and statement_timeout on every connection', async () => {
    const rows = await subject.rows<{ ro: string; timeout: string }, string>(
      query("SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS timeout"),
      {},
    );
    expect(rows).toEqual([{ ro: 'on', timeout: '200ms' }]);
  });

  it.each([
    ['as named prepared statements', 'true', ['listing_probe', 'named_probe']],
    ['unnamed when named statements are off', 'false', []],
  ])('runs queries %s', async (_label, named, expected) => {
    const config = loadConfig({ DB_URL, DB_POOL_SIZE: '1', DB_POOL_MAX_OVERFLOW: '0' });
    const single = new ReadOnlyGateway({ ...config, db: { ...config.db, namedStatements: named === 'true' } }, Metrics.detached(), new SqlSpans(Tracing.off));
    try {
      await single.rows({ name: 'named_probe', text: 'SELECT $1::int AS a', params: ['x'] }, { x: 1 });
      // The one connection lists what it has prepared, this statement included when it is named.
      const listing = { name: 'listing_probe', text: 'SELECT name FROM pg_prepared_statements ORDER BY name', params: [] };
      const rows = await single.rows<{ name: string }, never>(listing, {});
      expect(rows.map((row) => row.name)).toEqual(expected);
      const again = await single.rows<{ a: number }, string>({ name: 'named_probe', text: 'SELECT $1::int AS a', params: ['x'] }, { x: 2 });
      expect(again).toEqual([{ a: 2 }]);
    } finally {
      await single.onModuleDestroy();
    }
  });

  it('maps a statement timeout to db_timeout', async () => {
    await expect(subject.rows(query('SELECT pg_sleep(2)'), {})).rejects.toMatchObject({
      code: ErrorCode.DbTimeout,
      message: 'Query timeout',
    });
  });

  it('maps an unreachable database to db_unavailable', async () => {
    const unreachable = gateway({ DB_URL: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      await expect(unreachable.rows(query('SELECT 1'), {})).rejects.toMatchObject({
        code: ErrorCode.DbUnavailable,
        message: 'Data service temporarily unavailable',
      });
    } finally {
      await unreachable.onModuleDestroy();
    }
  });

  it('maps a refused login (unknown database) to db_unavailable', async () => {
    const missing = gateway({ DB_URL: 'postgres://postgres@127.0.0.1:5432/no_such_database_here' });
    try {
      await expect(missing.rows(query('SELECT 1'), {})).rejects.toMatchObject({ code: ErrorCode.DbUnavailable });
    } finally {
      await missing.onModuleDestroy();
    }
  });

  it('survives its connection being reset while a statement runs, and answers the next call', async () => {
    // A proxy in front of PostgreSQL whose connections can be reset, as a pooler restarting does.
    const target = new URL(DB_URL);
    const accepted = new Set<Socket>();
    const proxy = createServer((socket) => {
      accepted.add(socket);
      const upstream = connect(Number(target.port || 5432), target.hostname);
      socket.pipe(upstream).pipe(socket);
      const forget = (): void => {
        accepted.delete(socket);
        upstream.destroy();
      };
      socket.on('error', forget).on('close', forget);
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    const viaProxy = new URL(DB_URL);
    viaProxy.host = `127.0.0.1:${port}`;
    const cut = new ReadOnlyGateway(
      loadConfig({ DB_URL: viaProxy.toString(), DB_POOL_SIZE: '1', DB_POOL_MAX_OVERFLOW: '1', DB_STATEMENT_TIMEOUT_MS: '5000' }),
      Metrics.detached(),
      new SqlSpans(Tracing.off),
    );
    const crashes: unknown[] = [];
    const onCrash = (error: unknown): void => {
      crashes.push(error);
    };
    process.on('uncaughtException', onCrash);
    try {
      await cut.rows(query('SELECT 1 AS one'), {});
      const sleeping = cut.rows(query('SELECT pg_sleep(0.5) AS slept'), {}).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 150));
      for (const socket of accepted) {
        socket.resetAndDestroy();
      }
      await sleeping;
      await expect(cut.rows(query('SELECT 1 AS one'), {})).resolves.toEqual([{ one: 1 }]);
      expect(crashes).toEqual([]);
    } finally {
      process.off('uncaughtException', onCrash);
      await cut.onModuleDestroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

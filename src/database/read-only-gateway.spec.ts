import { ErrorCode } from '../common/errors/error-code';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../observability/metrics';
import { ReadOnlyGateway } from './read-only-gateway';
import type { SqlQuery } from './sql-query';

const DB_URL = process.env.SQUAD_E2E_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function gateway(env: Record<string, string> = {}): ReadOnlyGateway {
  return new ReadOnlyGateway(loadConfig({ DB_URL, DB_POOL_SIZE: '1', DB_POOL_MAX_OVERFLOW: '1', ...env }), Metrics.detached());
}

const query = (text: string, params: readonly string[] = []): SqlQuery => ({ name: 'probe', text, params });

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
    ['INSERT', 'CREATE TEMP TABLE t (x int)'],
    ['a data-modifying CTE', 'WITH gone AS (DELETE FROM pg_class RETURNING 1) SELECT COUNT(*) FROM gone'],
    ['set_config of the read-only flag', "SELECT set_config('default_transaction_read_only', 'off', false), nextval('x')"],
  ])('lets PostgreSQL refuse a write (%s) on its read-only connections', async (_label, text) => {
    await expect(subject.rows(query(text), {})).rejects.toMatchObject({ code: ErrorCode.Internal });
  });

  it('sets default_transaction_read_only and statement_timeout on every connection', async () => {
    const rows = await subject.rows<{ ro: string; timeout: string }, string>(
      query("SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS timeout"),
      {},
    );
    expect(rows).toEqual([{ ro: 'on', timeout: '200ms' }]);
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
});

import { setTimeout } from 'node:timers/promises';

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DatabaseError, Pool, type PoolClient, type PoolConfig, type QueryConfig, type QueryResultRow } from 'pg';

import { cancelledError, currentCallSignal, untilCancelled } from '../common/cancellation/call-signal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { SqlSpans } from '../observability/tracing/sql-spans';
import { backendKeyOf, sendCancelRequest } from './cancel-request';
import type { ListQuery, RowPage, SqlQuery } from './sql-query';

const QUERY_CANCELED = '57014';
const RECONNECT_ATTEMPTS = 3;
const RECONNECT_DELAY_MS = 50;
// The pool's acquire timeout: the statement timeout, at most this long.
const MAX_ACQUIRE_TIMEOUT_MS = 5_000;
// How long after a call found the pool exhausted /health still reports it as saturated.
const SATURATION_MEMORY_MS = 10_000;
const PING: SqlQuery<never> = { name: 'health_ping', text: 'SELECT 1', params: [] };
// Connection failures, exhausted resources, shutdowns, and a login the server refuses (role or database).
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '28', '3D', '53', '57P'];
// node-postgres's messages for a wait in the pool's queue and for a connection that never opened.
const POOL_QUEUE_TIMEOUT = 'timeout exceeded when trying to connect';
const CONNECT_TIMEOUT = 'Connection terminated due to connection timeout';

export type DatabaseState = 'connected' | 'saturated' | 'disconnected';

/** Turns a driver failure into the closed vocabulary; the original stays as the cause. */
export function toDatabaseError(error: unknown): AppError {
  if (error instanceof DatabaseError && error.code !== undefined) {
    const code = error.code;
    if (code === QUERY_CANCELED) {
      return new AppError(ErrorCode.DbTimeout, undefined, { cause: error });
    }
    if (UNAVAILABLE_SQLSTATE_CLASSES.some((prefix) => code.startsWith(prefix))) {
      return new AppError(ErrorCode.DbUnavailable, undefined, { cause: error });
    }
    return new AppError(ErrorCode.Internal, undefined, { cause: error });
  }
  // Anything the driver throws that is not a server error is a connection problem.
  return new AppError(ErrorCode.DbUnavailable, undefined, { cause: error });
}

/** What went wrong, for the log and the `api_errors_total` label; timeouts are never retried. */
function reasonOf(error: unknown, mapped: AppError): { reason: string; retryable: boolean } {
  if (error instanceof Error && error.message === POOL_QUEUE_TIMEOUT) {
    return { reason: 'db_saturated', retryable: false };
  }
  if (error instanceof Error && error.message === CONNECT_TIMEOUT) {
    return { reason: ErrorCode.DbUnavailable, retryable: false };
  }
  // Statements are read-only, so a lost connection is safe to retry on a fresh one.
  return { reason: mapped.code, retryable: mapped.code === ErrorCode.DbUnavailable };
}

function poolOptions(db: AppConfig['db'], max: number, applicationName: string): PoolConfig {
  return {
    connectionString: db.url,
    max,
    idleTimeoutMillis: 10_000,
    maxLifetimeSeconds: db.poolRecycleSeconds,
    connectionTimeoutMillis: Math.min(db.statementTimeoutMs, MAX_ACQUIRE_TIMEOUT_MS),
    application_name: applicationName,
    options: `-c default_transaction_read_only=on -c statement_timeout=${db.statementTimeoutMs}`,
  };
}

/**
 * The only way SQL reaches the database: fixed statements with bound values, over a pool
 * whose every connection is read-only and has a statement timeout. Each statement runs under its
 * stable name as a prepared statement (unless the configuration turns that off), so PostgreSQL
 * parses it once per connection instead of on every call. A call waits for a
 * connection at most the acquire timeout (derived from the statement timeout) and is then
 * refused, never retried, so no call waits longer than acquire plus statement timeout.
 */
@Injectable()
export class ReadOnlyGateway implements OnModuleDestroy {
  private readonly logger = new Logger('ReadOnlyGateway');
  readonly pool: Pool;
  // Health checks use their own connection, so they never queue behind tool calls.
  private readonly probePool: Pool;
  private readonly maxConnections: number;
  private readonly namedStatements: boolean;
  private lastSaturatedAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
    private readonly spans: SqlSpans,
  ) {
    const { db } = config;
    this.maxConnections = db.poolSize + db.poolMaxOverflow;
    this.namedStatements = db.namedStatements;
    this.pool = new Pool({ ...poolOptions(db, this.maxConnections, 'squad-mcp'), min: db.poolSize });
    this.probePool = new Pool(poolOptions(db, 1, 'squad-mcp-health'));
    for (const pool of [this.pool, this.probePool]) {
      pool.on('error', (error) => {
        this.logger.warn({ event: 'db_idle_connection_failed', error: error.message }, 'Idle database connection failed');
      });
    }
    this.metrics.sampleDbPool(() => ({ total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount }));
  }

  async rows<R extends QueryResultRow, P extends string>(query: SqlQuery<P>, args: Readonly<Record<P, unknown>>): Promise<R[]> {
    return this.spans.run(query.name, () => this.run<R, P>(query, args));
  }

  private async run<R extends QueryResultRow, P extends string>(query: SqlQuery<P>, args: Readonly<Record<P, unknown>>): Promise<R[]> {
    const values = query.params.map((param) => args[param] ?? null);
    // A named statement is parsed and planned once per connection; PostgreSQL then reuses
    // the plan when it estimates a generic one no worse than a fresh plan per call.
    const statement: QueryConfig = this.namedStatements ? { name: query.statement ?? query.name, text: query.text, values } : { text: query.text, values };
    const signal = currentCallSignal();
    const started = performance.now();
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.execute<R>(statement, signal);
        } catch (error) {
          if (signal.aborted) {
            throw cancelledError();
          }
          const mapped = toDatabaseError(error);
          const { reason, retryable } = reasonOf(error, mapped);
          this.metrics.dependencyError('database', reason);
          if (reason === 'db_saturated') {
            this.saturated(query.name);
          }
          if (!retryable || attempt > RECONNECT_ATTEMPTS) {
            throw mapped;
          }
          await setTimeout(RECONNECT_DELAY_MS * 2 ** (attempt - 1), undefined, { signal });
        }
      }
    } finally {
      this.metrics.dbQuery(query.name, (performance.now() - started) / 1000);
    }
  }

  /**
   * One statement on a pooled connection. When the call's signal aborts, the wait for a
   * connection ends at once and a running statement is cancelled in PostgreSQL. The connection
   * goes back to the pool when the statement ended cancelled (the cancel request was spent on
   * it); when the statement finished first, the request may still land on the connection's next
   * statement, so that connection is closed instead.
   */
  private async execute<R extends QueryResultRow>(statement: QueryConfig, signal: AbortSignal): Promise<R[]> {
    const client = await untilCancelled(this.pool.connect(), signal, (late) => {
      late.release();
    });
    // The pool listens for errors of idle connections only: one lost while checked out (a pooler
    // restarting resets it) would otherwise be an unhandled error that ends the process.
    let lost: Error | undefined;
    const onLost = (error: Error): void => {
      lost = error;
    };
    client.on('error', onLost);
    let cancelling: Promise<void> | undefined;
    const cancel = (): void => {
      cancelling = this.cancelStatement(client);
    };
    signal.addEventListener('abort', cancel, { once: true });
    let failure: unknown;
    try {
      const result = await client.query<R>(statement);
      return result.rows;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      signal.removeEventListener('abort', cancel);
      const cancelSpent = failure instanceof DatabaseError && failure.code === QUERY_CANCELED;
      if (cancelling !== undefined) {
        await cancelling;
      }
      client.off('error', onLost);
      // As pool.query does: a connection that failed a statement (or was lost) is not reused; one
      // whose cancel request may still land is closed too, unless the cancel was spent on its statement.
      const reusable = lost === undefined && (cancelling === undefined ? failure === undefined : cancelSpent);
      client.release(reusable ? undefined : true);
    }
  }

  private async cancelStatement(client: PoolClient): Promise<void> {
    const key = backendKeyOf(client);
    if (key === undefined) {
      return;
    }
    try {
      await sendCancelRequest(key);
    } catch (error) {
      this.logger.warn({ event: 'db_cancel_failed', error: error instanceof Error ? error.message : 'unknown' }, 'Could not ask the database to cancel a statement');
    }
  }

  /** A list's page and its total, run side by side. */
  async page<R extends QueryResultRow, P extends string>(
    list: ListQuery<P>,
    args: Readonly<Record<P, unknown>>,
    limit: number,
    offset: number,
  ): Promise<RowPage<R>> {
    const pageArgs = { ...args, limit, offset } as Readonly<Record<P | 'limit' | 'offset', unknown>>;
    const [rows, counts] = await Promise.all([this.rows<R, P | 'limit' | 'offset'>(list.page, pageArgs), this.rows<{ total: number }, P>(list.count, args)]);
    return { rows, total: counts[0]?.total ?? 0 };
  }

  /**
   * The database as /health sees it: `SELECT 1` on the probe connection, and whether calls
   * found the pool exhausted (now, or within the last few seconds).
   */
  async state(): Promise<DatabaseState> {
    try {
      await this.probePool.query(PING.text);
    } catch {
      return 'disconnected';
    }
    const exhausted = this.pool.waitingCount > 0 && this.pool.totalCount >= this.maxConnections;
    return exhausted || performance.now() - this.lastSaturatedAt < SATURATION_MEMORY_MS ? 'saturated' : 'connected';
  }

  private saturated(queryName: string): void {
    this.lastSaturatedAt = performance.now();
    this.logger.warn(
      { event: 'db_saturated', query_name: queryName, waiting: this.pool.waitingCount, total: this.pool.totalCount },
      'No database connection free within the acquire timeout',
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.pool.end(), this.probePool.end()]);
  }
}

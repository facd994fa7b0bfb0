import { setTimeout } from 'node:timers/promises';

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DatabaseError, Pool, type QueryResultRow } from 'pg';

import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import type { ListQuery, RowPage, SqlQuery } from './sql-query';

const QUERY_CANCELED = '57014';
const RECONNECT_ATTEMPTS = 3;
const RECONNECT_DELAY_MS = 50;
const PING: SqlQuery<never> = { name: 'health_ping', text: 'SELECT 1', params: [] };
// Connection failures, exhausted resources, shutdowns, and a login the server refuses (role or database).
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '28', '3D', '53', '57P'];

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

/**
 * The only way SQL reaches the database: fixed statements with bound values, over a pool
 * whose every connection is read-only and has a statement timeout.
 */
@Injectable()
export class ReadOnlyGateway implements OnModuleDestroy {
  private readonly logger = new Logger('ReadOnlyGateway');
  readonly pool: Pool;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const { db } = config;
    this.pool = new Pool({
      connectionString: db.url,
      min: Math.min(db.poolSize, db.poolSize + db.poolMaxOverflow),
      max: db.poolSize + db.poolMaxOverflow,
      idleTimeoutMillis: 10_000,
      maxLifetimeSeconds: db.poolRecycleSeconds,
      connectionTimeoutMillis: 5_000,
      application_name: 'squad-mcp',
      options: `-c default_transaction_read_only=on -c statement_timeout=${db.statementTimeoutMs}`,
    });
    this.pool.on('error', (error) => {
      this.logger.warn({ err: error }, 'Idle database connection failed');
    });
    for (const event of ['connect', 'acquire', 'release', 'remove'] as const) {
      this.pool.on(event, () => {
        this.recordPoolState();
      });
    }
  }

  async rows<R extends QueryResultRow, P extends string>(query: SqlQuery<P>, args: Readonly<Record<P, unknown>>): Promise<R[]> {
    const values = query.params.map((param) => args[param] ?? null);
    const started = performance.now();
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const result = await this.pool.query<R>(query.text, values);
          return result.rows;
        } catch (error) {
          const mapped = toDatabaseError(error);
          this.metrics.dependencyError('database', mapped.code);
          // Statements are read-only, so a lost connection is safe to retry on a fresh one.
          if (mapped.code !== ErrorCode.DbUnavailable || attempt > RECONNECT_ATTEMPTS) {
            throw mapped;
          }
          await setTimeout(RECONNECT_DELAY_MS * 2 ** (attempt - 1));
        }
      }
    } finally {
      this.metrics.dbQuery(query.name, (performance.now() - started) / 1000);
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

  /** `SELECT 1` on a pooled connection, for health checks. */
  async ping(): Promise<void> {
    await this.rows(PING, {});
  }

  private recordPoolState(): void {
    this.metrics.dbPoolState(this.pool.totalCount, this.pool.idleCount, this.pool.waitingCount);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}

import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import type { AppConfig } from '../config/app-config';
import type * as DemoApiModule from '../demo/demo-api';
import type * as SeedModule from '../demo/seed';
import type * as EmbeddedDatabaseModule from './embedded-database';

const LOOPBACK = '127.0.0.1';

/**
 * The embedded database and the demo world are loaded only when something is missing, so a
 * production process (which refuses to embed) never loads them or PGlite.
 */
function loadOnDemand(path: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path);
}

export interface EmbeddedDefaults {
  /** The configuration with every embedded dependency filled in. */
  readonly config: AppConfig;
  /** One line per embedded part, for the first log lines. */
  readonly notes: readonly string[];
  /** The generated development key, when one was generated. */
  readonly developmentKey: string | undefined;
  close(): Promise<void>;
}

/**
 * Fills what is not configured with local stand-ins, so `npm start` works with nothing set:
 * an embedded PostgreSQL (PGlite over the wire protocol), the demo squad-api and a development
 * key. Never used in production, where the configuration check demands the real ones.
 */
export async function embedMissingDependencies(config: AppConfig, log: (line: string) => void): Promise<EmbeddedDefaults> {
  const closers: (() => Promise<void>)[] = [];
  const notes: string[] = [];
  const close = async (): Promise<void> => {
    for (const closeOne of closers.reverse()) {
      await closeOne();
    }
  };
  try {
    let dbUrl = config.db.url;
    let namedStatements = config.db.namedStatements;
    if (dbUrl === undefined) {
      // Loaded only here: a production install has neither PGlite nor a use for the demo world.
      const { startEmbeddedDatabase } = loadOnDemand('./embedded-database') as typeof EmbeddedDatabaseModule;
      const database = await startEmbeddedDatabase({ host: LOOPBACK, port: 0 });
      closers.push(() => database.close());
      dbUrl = database.url;
      await prepareEmbeddedDatabase(dbUrl, config.db.statementTimeoutMs, log);
      notes.push(`embedded PostgreSQL (PGlite, demo data) at ${redactUrl(dbUrl)}`);
      // All pool clients share PGlite's one session, so per-connection statement names would clash.
      namedStatements = false;
    }
    let apiBaseUrl = config.api.baseUrl;
    if (apiBaseUrl === undefined) {
      const pool = new Pool({ connectionString: dbUrl, max: 4 });
      closers.push(() => pool.end());
      const { startDemoApi } = loadOnDemand('../demo/demo-api') as typeof DemoApiModule;
      const api = await startDemoApi({ pool, host: LOOPBACK, port: 0, serviceAuthToken: config.api.serviceAuthToken, log });
      closers.push(() => api.close());
      apiBaseUrl = api.url;
      notes.push(`demo squad-api at ${apiBaseUrl}`);
    }
    const { primary, secondary, admin, file } = config.keys;
    const needsKey = [primary, secondary, admin, file].every((key) => key === undefined);
    const developmentKey = needsKey ? 'sqd_dev_' + randomBytes(24).toString('base64url') : undefined;
    if (developmentKey !== undefined) {
      notes.push('a development API key with the admin role (printed above, once)');
    }
    return {
      config: {
        ...config,
        db: { ...config.db, url: dbUrl, namedStatements },
        api: { ...config.api, baseUrl: apiBaseUrl },
        keys: { ...config.keys, admin: config.keys.admin ?? developmentKey },
        // The development key is the only key: trying clients by hand must not run into the production limit.
        rateLimitRpm: developmentKey === undefined ? config.rateLimitRpm : config.developmentKeyRateLimitRpm,
      },
      notes,
      developmentKey,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Seeds the embedded database, then makes its session read-only with a statement timeout.
 * PGlite serves every client on one session and ignores startup options, so the settings a
 * real PostgreSQL takes per connection are applied here, once, after the writes.
 */
async function prepareEmbeddedDatabase(url: string, statementTimeoutMs: number, log: (line: string) => void): Promise<void> {
  const { seedDatabase } = loadOnDemand('../demo/seed') as typeof SeedModule;
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await seedDatabase(pool, { log });
    await pool.query('SET default_transaction_read_only = on');
    await pool.query("SELECT set_config('statement_timeout', $1, false)", [String(statementTimeoutMs)]);
  } finally {
    await pool.end();
  }
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

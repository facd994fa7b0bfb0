import { Pool } from 'pg';

import type { AppConfig } from '../config/app-config';
import type * as DemoApiModule from '../demo/demo-api';
import type * as SeedModule from '../demo/seed';
import { DEMO_CORPUS_DIR } from '../documents/demo-corpus';
import { embedderOf } from '../documents/embedder-of';
import { EmbeddingsFailure } from '../documents/embeddings-client';
import { ingestFolder, type IngestSummary } from '../documents/ingest';
import { keepDevelopmentKey, type KeptKey } from './development-key';
import type * as EmbeddedDatabaseModule from './embedded-database';
import { makeScratchDirectory } from './scratch-directory';

const LOOPBACK = '127.0.0.1';
const DATA_DIR_PREFIX = 'squad-mcp-pglite';

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
  /** The development key, when no key is configured: generated once, then kept across restarts. */
  readonly developmentKey: KeptKey | undefined;
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
    let enableRag = config.enableRag;
    if (dbUrl === undefined) {
      const scratch = await makeScratchDirectory(DATA_DIR_PREFIX);
      closers.push(() => scratch.remove());
      dbUrl = await startDemoDatabase(scratch.path, config, log, closers);
      notes.push(`embedded PostgreSQL (PGlite with pgvector, demo data and help center) at ${redactUrl(dbUrl)}, its files in ${scratch.path}`);
      // The demo help center is loaded, so its search tool is served.
      enableRag = true;
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
    const developmentKey = needsKey ? await keepDevelopmentKey(config.developmentKeyFile) : undefined;
    if (developmentKey !== undefined) {
      notes.push(
        developmentKey.keptIn === undefined
          ? `a development API key with the admin role, not kept (${config.developmentKeyFile}: ${developmentKey.problem ?? 'not writable'}): it changes on restart`
          : `a development API key with the admin role, kept in ${developmentKey.keptIn} (delete the file for a new key)`,
      );
    }
    return {
      config: {
        ...config,
        enableRag,
        db: { ...config.db, url: dbUrl, namedStatements },
        api: { ...config.api, baseUrl: apiBaseUrl },
        keys: { ...config.keys, admin: config.keys.admin ?? developmentKey?.key },
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
 * Creates the embedded database in `dataDir` and serves it from a thread of this process. Creating
 * it, seeding the demo world and loading the help center is the costliest part of start-up in
 * memory (PGlite runs initdb in a second instance), so a process of its own does that and gives
 * its memory back whole when it exits; the thread then opens the finished files.
 */
async function startDemoDatabase(dataDir: string, config: AppConfig, log: (line: string) => void, closers: (() => Promise<void>)[]): Promise<string> {
  // Loaded only here: a production install has neither PGlite nor a use for the demo world.
  const { startEmbeddedDatabase } = loadOnDemand('./embedded-database') as typeof EmbeddedDatabaseModule;
  const loader = await startEmbeddedDatabase({ host: LOOPBACK, port: 0, dataDir, runIn: 'process', log });
  try {
    await loadDemoWorld(loader.url, config, log);
  } finally {
    const { peakResidentMb } = await loader.close();
    log(`embedded database loaded by a process of its own, which peaked at ${peakResidentMb ?? '?'} MB resident and has exited`);
  }
  const database = await startEmbeddedDatabase({ host: LOOPBACK, port: 0, dataDir, log });
  closers.push(async () => {
    await database.close();
  });
  await settleSession(database.url, config);
  return database.url;
}

/** Seeds the demo world and loads the demo help center (with vectors when EMBEDDINGS_URL is set). */
async function loadDemoWorld(url: string, config: AppConfig, log: (line: string) => void): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const { seedDatabase } = loadOnDemand('../demo/seed') as typeof SeedModule;
    await seedDatabase(pool, { log });
    const documents = await ingestHelpCenter(pool, config, log);
    log(`help center loaded: ${documents.documents} documents, ${documents.chunks} chunks, ${documents.embedded} embedded (${documents.vectorStore})`);
  } finally {
    await pool.end();
  }
}

/**
 * Makes the served session read-only with a statement timeout. PGlite serves every client on one
 * session and ignores startup options, so the settings a real PostgreSQL takes per connection are
 * applied here, once.
 */
async function settleSession(url: string, config: AppConfig): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query('SET default_transaction_read_only = on');
    await pool.query("SELECT set_config('statement_timeout', $1, false)", [String(config.db.statementTimeoutMs)]);
  } finally {
    await pool.end();
  }
}

/** The demo help center, embedded when EMBEDDINGS_URL is set; keyword search only when that endpoint fails now. */
async function ingestHelpCenter(pool: Pool, config: AppConfig, log: (line: string) => void): Promise<IngestSummary> {
  const embedder = embedderOf(config);
  try {
    return await ingestFolder(pool, { dir: DEMO_CORPUS_DIR, embedder, log });
  } catch (error) {
    if (!(error instanceof EmbeddingsFailure)) {
      throw error;
    }
    log(`help center: the embeddings endpoint failed (${error.reason}); loaded for keyword search only`);
    return ingestFolder(pool, { dir: DEMO_CORPUS_DIR, log });
  }
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

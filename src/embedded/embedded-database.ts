import { Worker } from 'node:worker_threads';

export interface EmbeddedDatabaseOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where PGlite keeps its files; in memory when omitted. */
  dataDir?: string;
  /** Concurrent wire connections accepted; the default covers several pg pools. */
  maxConnections?: number;
  /** Told when the database thread fails after start-up. */
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** A postgres:// URL for the pg driver. */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 64;

type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'closed' };

// Plain JavaScript run by a worker thread. PGlite loads Node built-ins through dynamic import(),
// which fails inside Jest's module sandbox, and runs queries as synchronous WebAssembly that
// would stall the app's event loop; a thread of its own avoids both.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.modules.pglite);
const { pg_trgm } = require(workerData.modules.pgTrgm);
const { vector } = require(workerData.modules.vector);
const { PGLiteSocketServer } = require(workerData.modules.socket);

async function main() {
  const db = await PGlite.create({ dataDir: workerData.dataDir, extensions: { pg_trgm, vector } });
  const server = new PGLiteSocketServer({
    db, host: workerData.host, port: workerData.port, maxConnections: workerData.maxConnections,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  parentPort.on('message', (message) => {
    if (message !== 'close') return;
    server.stop()
      .then(() => db.close())
      .then(() => parentPort.postMessage({ type: 'closed' }))
      .catch((error) => parentPort.postMessage({ type: 'failed', message: String(error && error.stack || error) }));
  });
  parentPort.postMessage({ type: 'listening', port: Number(server.getServerConn().split(':').pop()) });
}

main().catch((error) => parentPort.postMessage({ type: 'failed', message: String(error && error.stack || error) }));
`;

/** PGlite is a development dependency: a production install (`npm ci --omit=dev`) has no embedded database. */
function pgliteModules(): Record<'pglite' | 'pgTrgm' | 'vector' | 'socket', string> {
  try {
    return {
      pglite: require.resolve('@electric-sql/pglite'),
      pgTrgm: require.resolve('@electric-sql/pglite/contrib/pg_trgm'),
      vector: require.resolve('@electric-sql/pglite-pgvector'),
      socket: require.resolve('@electric-sql/pglite-socket'),
    };
  } catch {
    throw new Error('the embedded database needs the development dependencies (npm ci without --omit=dev); or set DB_URL');
  }
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite, with pg_trgm and pgvector), served over the Postgres wire protocol
 * by PGLiteSocketServer on its own thread, so the app uses the same driver and SQL as in production.
 * Caveat: every connection is multiplexed onto PGlite's single session (a transaction holds the
 * other clients back until it ends, and `SET` applies to all of them), and startup options such as
 * `options=-c ...` are ignored.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((): void => undefined);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      modules: pgliteModules(),
      host: options.host,
      port: options.port,
      dataDir: options.dataDir,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    },
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`embedded database thread exited with code ${code} before listening`));
    });
    worker.once('message', (message: WorkerMessage) => {
      if (message.type === 'listening') {
        resolve(message.port);
      } else {
        reject(new Error(`embedded database failed to start: ${message.type === 'failed' ? message.message : message.type}`));
      }
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.removeAllListeners('error');
  worker.on('error', (error: unknown) => {
    log(`embedded database thread failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'failed') {
      log(`embedded database: ${message.message}`);
    }
    if (message.type !== 'listening') {
      void worker.terminate();
    }
  });
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    close: () => {
      if (closing === undefined && !exited) {
        worker.postMessage('close');
      }
      closing ??= exit;
      return closing;
    },
  };
}

import { type Serializable, spawn } from 'node:child_process';
import { type EventEmitter, once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

import { DATABASE_HOST_SOURCE } from './database-host-source';

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
  /**
   * `thread` (the default) serves from a thread of this process. `process` runs the database in
   * a process of its own, whose memory is given back whole when it is closed: for one-off work
   * such as creating and loading a database that a thread then serves.
   */
  runIn?: 'thread' | 'process';
}

export interface ClosedDatabase {
  /** The peak resident memory of the process that hosted the database, when it had one of its own. */
  readonly peakResidentMb: number | undefined;
}

export interface EmbeddedDatabase {
  /** A postgres:// URL for the pg driver. */
  readonly url: string;
  close(): Promise<ClosedDatabase>;
}

const DEFAULT_MAX_CONNECTIONS = 64;

/**
 * Memory settings for a small database: PostgreSQL clears its whole buffer pool at start, and
 * PGlite's default pool (128 MB) is ten times the demo world.
 */
const START_PARAMS = ['-c', 'shared_buffers=16MB'];

/**
 * V8 compiles WebAssembly quickly with Liftoff, then recompiles hot functions with TurboFan in
 * the background; for PostgreSQL's large functions that recompilation holds several hundred MB
 * for seconds at a time. Liftoff's code serves a demo-sized database well and starts faster.
 * Set while the process runs, a flag's implications are not applied, so they are spelled out.
 */
const BASELINE_WASM_ONLY = ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

type HostMessage = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'closed'; peakKb: number };

/** A worker thread or a child process running the host program. */
interface DatabaseHost {
  readonly events: EventEmitter;
  send(message: unknown): void;
  stop(): Promise<unknown>;
}

function hostInThread(settings: HostSettings): DatabaseHost {
  // V8 flags are the process's: set before the thread compiles PGlite, they apply to it.
  setFlagsFromString(BASELINE_WASM_ONLY.join(' '));
  const worker = new Worker(DATABASE_HOST_SOURCE, { eval: true, workerData: settings });
  return { events: worker, send: (message) => worker.postMessage(message), stop: () => worker.terminate() };
}

function hostInProcess(settings: HostSettings): DatabaseHost {
  const child = spawn(process.execPath, [...BASELINE_WASM_ONLY, '-'], { stdio: ['pipe', 'ignore', 'inherit', 'ipc'] });
  // The program arrives on stdin, so the command line stays short.
  child.stdin?.end(DATABASE_HOST_SOURCE);
  child.send(settings);
  return {
    events: child,
    send: (message) => {
      if (child.connected) {
        child.send(message as Serializable);
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await once(child, 'exit');
      }
    },
  };
}

interface HostSettings {
  readonly modules: Record<'pglite' | 'pgTrgm' | 'vector' | 'socket', string>;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly maxConnections: number;
  /** PostgreSQL's command-line settings, after PGlite's own. */
  readonly startParams: readonly string[];
}

/** PGlite is a development dependency: a production install (`npm ci --omit=dev`) has no embedded database. */
function pgliteModules(): HostSettings['modules'] {
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
  const settings: HostSettings = {
    modules: pgliteModules(),
    host: options.host,
    port: options.port,
    dataDir: options.dataDir,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    startParams: START_PARAMS,
  };
  const host = options.runIn === 'process' ? hostInProcess(settings) : hostInThread(settings);
  let exited = false;
  let peakKb: number | undefined;
  const exit = new Promise<void>((resolve) => {
    host.events.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    host.events.once('error', reject);
    host.events.once('exit', (code: number | null) => {
      reject(new Error(`embedded database ${options.runIn ?? 'thread'} exited with code ${code} before listening`));
    });
    host.events.once('message', (message: HostMessage) => {
      if (message.type === 'listening') {
        resolve(message.port);
      } else {
        reject(new Error(`embedded database failed to start: ${message.type === 'failed' ? message.message : message.type}`));
      }
    });
  }).catch(async (error: unknown) => {
    await host.stop();
    throw error;
  });
  host.events.removeAllListeners('error');
  host.events.on('error', (error: unknown) => {
    log(`embedded database ${options.runIn ?? 'thread'} failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  host.events.on('message', (message: HostMessage) => {
    if (message.type === 'failed') {
      log(`embedded database: ${message.message}`);
    }
    if (message.type === 'closed') {
      peakKb = message.peakKb;
    }
    if (message.type !== 'listening') {
      void host.stop();
    }
  });
  const address = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${address}:${port}/postgres`,
    close: async () => {
      if (closing === undefined && !exited) {
        host.send('close');
      }
      closing ??= exit;
      await closing;
      return { peakResidentMb: options.runIn === 'process' && peakKb !== undefined ? Math.round(peakKb / 1024) : undefined };
    },
  };
}

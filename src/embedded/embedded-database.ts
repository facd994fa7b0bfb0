import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabaseOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where PGlite keeps its files; in memory when omitted. */
  dataDir?: string;
  /** Concurrent wire connections accepted; the default covers several pg pools. */
  maxConnections?: number;
}

export interface EmbeddedDatabase {
  /** A postgres:// URL for the pg driver. */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 64;

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over the Postgres wire protocol so the app
 * uses the same driver and SQL as in production. Caveat: every connection is multiplexed onto
 * PGlite's single session (a transaction holds the others back until it ends, and `SET` applies
 * to every client), and startup options such as `options=-c ...` are ignored.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({
    db,
    host: options.host,
    port: options.port,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  // After start() the server reports the port it actually bound ("host:port"), which matters for port 0.
  const port = server.getServerConn().split(':').pop() ?? String(options.port);
  const url = `postgres://postgres@${hostForUrl(options.host)}:${port}/postgres`;
  let closed: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closed ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return closed;
    },
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

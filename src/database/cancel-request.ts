import { connect } from 'node:net';

import type { PoolClient } from 'pg';

// The protocol's CancelRequest: its length, then this code where a start-up message has its version.
const CANCEL_REQUEST_LENGTH = 16;
const CANCEL_REQUEST_CODE = 80_877_102;
const CANCEL_TIMEOUT_MS = 2_000;

/** What identifies a connection's server process to a cancel request: sent by the server at start-up. */
export interface BackendKey {
  readonly host: string;
  readonly port: number;
  readonly processId: number;
  readonly secretKey: number;
}

/** The connection's backend key; node-postgres keeps it on the client without typing it. */
export function backendKeyOf(client: PoolClient): BackendKey | undefined {
  const { processID, secretKey } = client as PoolClient & { processID?: unknown; secretKey?: unknown };
  if (typeof processID !== 'number' || typeof secretKey !== 'number') {
    return undefined;
  }
  return { host: client.host, port: client.port, processId: processID, secretKey };
}

/**
 * Asks the server to cancel the statement a connection is running, the way psql's Ctrl-C does: a
 * CancelRequest on a connection of its own, which the server closes once it has read it. It
 * needs no pooled connection and no privilege, and a pooler (PgBouncer) forwards it to the
 * server connection in use. Resolves once the server closed the connection, or after a short
 * timeout; rejects when the server cannot be reached.
 */
export function sendCancelRequest(key: BackendKey): Promise<void> {
  const message = Buffer.alloc(CANCEL_REQUEST_LENGTH);
  message.writeInt32BE(CANCEL_REQUEST_LENGTH, 0);
  message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  message.writeInt32BE(key.processId, 8);
  message.writeInt32BE(key.secretKey, 12);
  const socket = key.host.startsWith('/') ? connect(`${key.host}/.s.PGSQL.${key.port}`) : connect(key.port, key.host);
  socket.setTimeout(CANCEL_TIMEOUT_MS, () => socket.destroy());
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', () => socket.end(message));
    socket.once('error', reject);
    socket.once('close', () => {
      resolve();
    });
    // The server says nothing back; whatever arrives is read and dropped so the socket can close.
    socket.resume();
  });
}

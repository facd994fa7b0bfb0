import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Pool } from 'pg';

import { DEMO_ROUTES } from './demo-api-queries';

export interface DemoApiOptions {
  pool: Pool;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When set, every request must carry exactly `Authorization: Bearer <token>`, as squad-api demands. */
  serviceAuthToken?: string;
  /** Receives one line per unexpected failure (the response itself says only "Internal Server Error"). */
  log?: (line: string) => void;
}

export interface DemoApi {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_ID = 2_147_483_647;
// Longer than typical client keep-alive pools hold idle sockets, so the server never closes first.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * The demo stand-in for squad-api (SPEC §3): the six read endpoints over the demo database, with
 * FastAPI-style error bodies. See contracts/squad-api.openapi.json.
 */
export async function startDemoApi(options: DemoApiOptions): Promise<DemoApi> {
  const expectedAuth = options.serviceAuthToken === undefined ? null : digest(`Bearer ${options.serviceAuthToken}`);
  const log = options.log ?? ((): void => undefined);
  // An idle connection the server terminated (a restart, pg_terminate_backend) reports here; the
  // pool drops it and opens a new one on the next request, so the process must not die of it.
  options.pool.on('error', (error) => {
    log(`demo squad-api: idle database connection lost: ${error.message}`);
  });
  const server = createServer((req, res) => {
    handle(req, res, options.pool, expectedAuth).catch((error: unknown) => {
      log(`demo squad-api: ${req.method ?? '?'} ${req.url ?? '?'} failed: ${String(error)}`);
      send(res, 500, { detail: 'Internal Server Error' });
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) {
            reject(error);
          } else {
            resolve();
          }
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  pool: Pool,
  expectedAuth: Buffer | null,
): Promise<void> {
  const requestId = req.headers['x-request-id'];
  if (typeof requestId === 'string') {
    res.setHeader('X-Request-ID', requestId);
  }
  if (expectedAuth !== null && !authorized(req.headers.authorization, expectedAuth)) {
    send(res, 401, { detail: 'Not authenticated' }, { 'WWW-Authenticate': 'Bearer' });
    return;
  }
  const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname;
  const route = DEMO_ROUTES.find((candidate) => candidate.pattern.test(path));
  if (route === undefined) {
    send(res, 404, { detail: 'Not found' });
    return;
  }
  if (req.method !== 'GET') {
    send(res, 405, { detail: 'Method Not Allowed' }, { Allow: 'GET' });
    return;
  }
  if (route.find === null) {
    send(res, 200, { status: 'ok' });
    return;
  }
  const rawId = decodeSegment(route.pattern.exec(path)?.[1] ?? '');
  if (!/^-?\d+$/.test(rawId)) {
    send(res, 422, validationError(route.param, rawId));
    return;
  }
  const id = Number(rawId);
  const found = id >= 1 && id <= MAX_ID ? await route.find(pool, id) : null;
  if (found === null) {
    send(res, 404, { detail: 'Not found' });
    return;
  }
  send(res, 200, found);
}

function validationError(param: string, rawId: string): object {
  return {
    detail: [
      {
        type: 'int_parsing',
        loc: ['path', param],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: rawId,
      },
    ],
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    if (error instanceof URIError) {
      return segment;
    }
    throw error;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  return header !== undefined && timingSafeEqual(digest(header), expected);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

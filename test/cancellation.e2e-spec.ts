import { type ClientRequest, createServer, type IncomingMessage, request as httpRequest, type Server } from 'node:http';

import type { PoolClient } from 'pg';
import request from 'supertest';

import { closeServer, listenOnLoopback } from './support/loopback-server';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-redis';

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const MODERN_META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
/** How long PostgreSQL and squad-api may take to see a call's work stop once its client left. */
const STOP_WITHIN_MS = 1_000;

/** How each surface sends a tool call: its path, headers and body. */
interface Surface {
  readonly name: string;
  readonly path: string;
  headers(tool: string): Record<string, string>;
  body(tool: string, args: object): object;
}

const SURFACES: readonly Surface[] = [
  {
    name: 'MCP, 2025 era',
    path: '/mcp',
    headers: () => ({ Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' }),
    body: (tool, args) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } }),
  },
  {
    name: 'MCP, 2026-07-28',
    path: '/mcp',
    headers: (tool) => ({ Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': tool }),
    body: (tool, args) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args, _meta: MODERN_META } }),
  },
  {
    name: 'REST mirror',
    path: '/v1/mcp/',
    headers: () => ({}),
    body: (_tool, args) => args,
  },
];

/** Starts a tool call with a plain HTTP client whose connection the test can cut; no answer is awaited. */
function startCall(app: TestApp, surface: Surface, tool: string, args: object, requestId: string): ClientRequest {
  const url = new URL(surface.path === '/v1/mcp/' ? `/v1/mcp/${tool}` : surface.path, app.url);
  const body = JSON.stringify(surface.body(tool, args));
  const call = httpRequest(url, {
    method: 'POST',
    headers: { ...auth, ...surface.headers(tool), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Request-ID': requestId },
  });
  // The answer never comes, and cutting the connection is the point.
  call.on('error', () => undefined);
  call.end(body);
  return call;
}

/** Polls `probe` until it returns a value other than undefined, failing after `ms`. */
async function eventually<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (performance.now() > until) {
      throw new Error(`${what}: not within ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function counterOf(app: TestApp, metric: string, labels: string): Promise<number> {
  const text = (await request(app.url).get('/metrics')).text;
  const line = text.split('\n').find((row) => row.startsWith(`${metric}{`) && labels.split(',').every((label) => row.includes(label)));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

function cancelledLines(app: TestApp, requestId: string): { cancelled: number; internal: number; audit: unknown[] } {
  const lines = app.logs.forRequest(requestId);
  return {
    cancelled: lines.filter((line) => line.event === 'tool_call_cancelled').length,
    internal: lines.filter((line) => line.status === 'internal_error').length,
    audit: lines.filter((line) => line.event === 'audit').map((line) => ({ tool: line.tool, outcome: line.outcome })),
  };
}

describe('Cancellation: a client that leaves before the answer cancels its call', () => {
  describe('in PostgreSQL', () => {
    let app: TestApp;
    let locker: PoolClient;

    beforeAll(async () => {
      app = await startTestApp();
      locker = await app.db.connect();
    });

    afterAll(async () => {
      locker.release();
      await app.close();
    });

    /** squad-mcp's statements of this database, running or waiting, by backend pid. */
    const running = async (): Promise<{ pid: number; state: string }[]> =>
      (
        await app.db.query<{ pid: number; state: string }>(
          "SELECT pid, state FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'squad-mcp' AND query LIKE '%players%' AND state = 'active'",
        )
      ).rows;

    it.each(SURFACES)('cancels the blocked statement, keeps its connection in the pool, and counts the call cancelled ($name)', async (surface) => {
      const requestId = `cancel-sql-${surface.name.replace(/\W+/g, '-')}`;
      const before = await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="search_players"');
      await locker.query('BEGIN');
      try {
        await locker.query('LOCK TABLE players IN ACCESS EXCLUSIVE MODE');
        const call = startCall(app, surface, 'search_players', { query: 'a' }, requestId);
        const blocked = await eventually('the statement waits on the lock', 5_000, async () => {
          const rows = await running();
          return rows.length > 0 ? rows.map((row) => row.pid) : undefined;
        });
        call.destroy();
        // Each backend that ran the call's statements is left idle, connected: back in the pool.
        await eventually('the backends no longer active', STOP_WITHIN_MS, async () => {
          const states = await app.db.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = ANY($1)', [blocked]);
          return states.rows.length === blocked.length && states.rows.every((row) => row.state === 'idle') ? true : undefined;
        });
      } finally {
        await locker.query('ROLLBACK');
      }
      await eventually('the call counted as cancelled', 2_000, async () =>
        (await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="search_players"')) === before + 1 ? true : undefined,
      );
      const lines = await eventually('the audit line', 2_000, () => {
        const found = cancelledLines(app, requestId);
        return found.audit.length > 0 ? found : undefined;
      });
      expect(lines).toEqual({ cancelled: 1, internal: 0, audit: [{ tool: 'search_players', outcome: 'cancelled' }] });

      const next = await request(app.url).post('/v1/mcp/search_players').set(auth).send({ query: 'a', limit: 1 });
      expect(next.status).toBe(200);
      expect((next.body as { items: unknown[] }).items).toHaveLength(1);
    });

    it('counts a cancelled call under tool_calls_total as cancelled, never as an internal error', async () => {
      const cancelled = await counterOf(app, 'tool_calls_total', 'tool_name="search_players",status="cancelled"');
      const internal = await counterOf(app, 'tool_calls_total', 'tool_name="search_players",status="internal_error"');
      expect({ cancelled, internal }).toEqual({ cancelled: SURFACES.length, internal: 0 });
    });
  });

  describe('under a storm of callers leaving', () => {
    let app: TestApp;

    beforeAll(async () => {
      // Redis puts a real wait between the guards and the call: callers leave in it too.
      app = await startTestApp({ REDIS_URL: TEST_REDIS_URL });
    });

    afterAll(async () => {
      await app.close();
    });

    it('loses no pooled connection when callers leave at every moment of their calls', async () => {
      const modern = SURFACES[1]!;
      const total = 1_500;
      let started = 0;
      const worker = async (): Promise<void> => {
        while (started < total) {
          const index = started++;
          const call = startCall(app, modern, 'get_player_stats', { player_id: 1 + (index % 50) }, `storm-${index}`);
          const closed = new Promise<void>((resolve) => call.once('close', () => resolve()));
          // From before the request is read, through the rate limit and the statement, to after the answer.
          setTimeout(() => call.destroy(), (index * 7) % 15);
          await closed;
        }
      };
      await Promise.all(Array.from({ length: 40 }, worker));
      // Far more calls at once than the pool has connections: each needs the ones the storm used.
      const after = await Promise.all(
        Array.from({ length: 40 }, (_, index) => request(app.url).post('/v1/mcp/get_player_stats').set(auth).send({ player_id: 1 + index })),
      );
      expect(after.map((res) => res.status)).toEqual(after.map(() => 200));
    });
  });

  describe('at squad-api', () => {
    let app: TestApp;
    let squadApi: Server;
    /** The requests squad-api received for a player, with whether their connection has closed. */
    const received: { path: string; closed: boolean }[] = [];

    beforeAll(async () => {
      // A squad-api that takes every request and never answers.
      squadApi = createServer((req: IncomingMessage) => {
        if (req.url?.startsWith('/api/players/') !== true) {
          return;
        }
        const seen = { path: req.url, closed: false };
        received.push(seen);
        req.socket.once('close', () => {
          seen.closed = true;
        });
      });
      const url = await listenOnLoopback(squadApi);
      // One connection to squad-api, so a second call waits in the queue for it.
      app = await startTestApp({ API_BASE_URL: url, API_TIMEOUT_SECONDS: '30', API_DEADLINE_SECONDS: '60', API_MAX_CONNECTIONS: '1' });
    });

    afterAll(async () => {
      await app.close();
      await closeServer(squadApi);
    });

    it.each(SURFACES)('aborts the request to squad-api, with no retry, when the client leaves ($name)', async (surface) => {
      received.length = 0;
      const requestId = `cancel-upstream-${surface.name.replace(/\W+/g, '-')}`;
      const before = await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="get_player"');
      const call = startCall(app, surface, 'get_player', { player_id: 7 }, requestId);
      await eventually('squad-api receives the request', 5_000, () => (received.length === 1 ? true : undefined));
      call.destroy();
      await eventually('squad-api sees the request aborted', STOP_WITHIN_MS, () => (received[0]?.closed === true ? true : undefined));
      await eventually('the call counted as cancelled', 2_000, async () =>
        (await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="get_player"')) === before + 1 ? true : undefined,
      );
      expect(received).toEqual([{ path: '/api/players/7', closed: true }]);
      const lines = await eventually('the audit line', 2_000, () => {
        const found = cancelledLines(app, requestId);
        return found.audit.length > 0 ? found : undefined;
      });
      expect(lines).toEqual({ cancelled: 1, internal: 0, audit: [{ tool: 'get_player', outcome: 'cancelled' }] });
    });

    it('takes a call waiting for a squad-api connection out of the queue when its client leaves', async () => {
      received.length = 0;
      const rest = SURFACES[2]!;
      const before = await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="get_player"');
      const holder = startCall(app, rest, 'get_player', { player_id: 8 }, 'cancel-queue-holder');
      await eventually('squad-api receives the first request', 5_000, () => (received.length === 1 ? true : undefined));
      const queued = startCall(app, rest, 'get_player', { player_id: 9 }, 'cancel-queue-waiter');
      await eventually('the second call waits', 5_000, () => (app.logs.forRequest('cancel-queue-waiter').some((line) => line.event === 'tool_call_start') ? true : undefined));
      queued.destroy();
      await eventually('the waiting call counted as cancelled', 2_000, async () =>
        (await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="get_player"')) === before + 1 ? true : undefined,
      );
      holder.destroy();
      await eventually('the first call counted as cancelled', 2_000, async () =>
        (await counterOf(app, 'tool_calls_cancelled_total', 'tool_name="get_player"')) === before + 2 ? true : undefined,
      );
      // The waiting call never reached squad-api, not even once the connection was free again.
      expect(received.map(({ path }) => path)).toEqual(['/api/players/8']);
      const next = startCall(app, rest, 'get_player', { player_id: 10 }, 'cancel-queue-next');
      await eventually('the freed connection serves the next call', 5_000, () => (received.length === 2 ? true : undefined));
      next.destroy();
      expect(received.map(({ path }) => path)).toEqual(['/api/players/8', '/api/players/10']);
    });

    it('leaves the breaker closed and records no squad-api failure for the cancelled calls', async () => {
      const metrics = (await request(app.url).get('/metrics')).text;
      expect(/^upstream_circuit_breaker_state (\d)/m.exec(metrics)?.[1]).toBe('0');
      expect(metrics).not.toMatch(/^api_errors_total\{source="upstream"/m);
    });
  });
});

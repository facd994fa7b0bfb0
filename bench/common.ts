import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

import type { PoolConfig } from 'pg';

/** The protocol revision every benchmark request is sent under. */
export const MODERN_PROTOCOL = '2026-07-28';
export const TOOL_NAME = 'get_player_stats';

/** The per-request `_meta` envelope of a 2026-07-28 request from the bench's client. */
const MODERN_ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'squad-bench', version: '1.0.0' },
};

/**
 * The one request every level but P2 gets: a 2026-07-28 `tools/call` of `get_player_stats` with
 * its `_meta` envelope; another tool of squad-mcp (L2 only) when `tool` is given.
 */
export function toolCallRequest(playerId: number, apiKey: string, tool: string = TOOL_NAME): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: tool,
      arguments: { player_id: playerId },
      _meta: MODERN_ENVELOPE,
    },
  });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN_PROTOCOL,
    'mcp-method': 'tools/call',
    'mcp-name': tool,
    // squad-mcp (L2) and the peers (P1, P2) check it; L0 and L1 ignore it.
    authorization: `Bearer ${apiKey}`,
  };
  return { body, headers };
}

/** The 2025-era protocol revision, for a peer that cannot serve MODERN_PROTOCOL. */
export const LEGACY_PROTOCOL = '2025-11-25';

/**
 * The same call in the 2025-11-25 stateless form: no `_meta` envelope and no `Mcp-Method` or
 * `Mcp-Name` headers, for a server that speaks the 2025 era only and serves a `tools/call` without
 * an `initialize` first when it runs stateless.
 */
export function legacyToolCallRequest(playerId: number, apiKey: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: TOOL_NAME, arguments: { player_id: playerId } } });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': LEGACY_PROTOCOL,
    authorization: `Bearer ${apiKey}`,
  };
  return { body, headers };
}

/** A 2026-07-28 `tools/list` (all tools, no cursor) with its `_meta` envelope. */
export function toolsListRequest(apiKey: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/list',
    params: {
      _meta: MODERN_ENVELOPE,
    },
  });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN_PROTOCOL,
    'mcp-method': 'tools/list',
    authorization: `Bearer ${apiKey}`,
  };
  return { body, headers };
}

/** A `tools/list` result naming `tool` (a JSON-RPC error carries no `"tools"` array). */
export function isToolListSuccess(body: string, tool: string = TOOL_NAME): boolean {
  return body.includes('"result":') && body.includes('"tools":[') && body.includes(`"name":"${tool}"`);
}

/** A successful tool answer carrying `field` (the stats' by default), not an error result or a JSON-RPC error. */
export function isToolSuccess(body: string, field = '"matches_played"'): boolean {
  return body.includes(field) && !body.includes('"isError"') && !body.includes('"error"');
}

/** Pool sizes of squad-mcp's defaults (DB_POOL_SIZE 5 + DB_POOL_MAX_OVERFLOW 10). */
export const POOL_MIN = 5;
export const POOL_MAX = 15;
export const STATEMENT_TIMEOUT_MS = 30_000;

/** The pool settings squad-mcp's read-only gateway uses, for the L0, L1, P1 and P2 servers. */
export function benchPoolConfig(connectionString: string, applicationName: string): PoolConfig {
  return {
    connectionString,
    min: POOL_MIN,
    max: POOL_MAX,
    idleTimeoutMillis: 10_000,
    maxLifetimeSeconds: 3600,
    connectionTimeoutMillis: 5_000,
    application_name: applicationName,
    options: `-c default_transaction_read_only=on -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
  };
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface ProcSample {
  /** User + system CPU time of the whole process (all threads), in milliseconds. */
  readonly cpuMs: number;
  /** Resident set size, in MiB. */
  readonly rssMb: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time and RSS of a process from /proc (Linux). */
export function procSample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssMb: rssKb / 1024 };
}

/** A required environment variable of a bench server. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
}

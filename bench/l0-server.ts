/**
 * L0: the physical limit. A bare node:http server that parses the JSON-RPC body, runs squad-mcp's
 * own `player_stats` statement through `pg` and answers a JSON-RPC-shaped tool result. No MCP SDK,
 * no framework, no auth, logs or metrics.
 *
 * Env: PORT, DB_URL, DIST_DIR.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { Pool } from 'pg';

import { benchPoolConfig, requiredEnv, TOOL_NAME } from './common';
import { type CompiledQuery, loadPlayerStatsQuery, namedStatement, playerStatsValues } from './player-stats-query';

interface ToolCall {
  readonly id: string | number;
  readonly playerId: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The tool call in a JSON-RPC body, or undefined when it is anything else. */
function parseToolCall(text: string): ToolCall | undefined {
  const message = asRecord(JSON.parse(text));
  const params = asRecord(message?.params);
  const args = asRecord(params?.arguments);
  const id = message?.id;
  const playerId = args?.player_id;
  if (message?.method !== 'tools/call' || params?.name !== TOOL_NAME || (typeof id !== 'string' && typeof id !== 'number')) {
    return undefined;
  }
  return typeof playerId === 'number' && Number.isInteger(playerId) && playerId > 0 ? { id, playerId } : undefined;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function handle(pool: Pool, query: CompiledQuery, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    send(res, 405, { error: 'Method not allowed' });
    return;
  }
  let call: ToolCall | undefined;
  try {
    call = parseToolCall(await readBody(req));
  } catch {
    call = undefined;
  }
  if (call === undefined) {
    send(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request' } });
    return;
  }
  const { rows } = await pool.query(namedStatement(query, playerStatsValues(query, call.playerId)));
  const stats: unknown = rows[0];
  send(res, 200, {
    jsonrpc: '2.0',
    id: call.id,
    result: { content: [{ type: 'text', text: JSON.stringify(stats) }], structuredContent: stats },
  });
}

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  const query = await loadPlayerStatsQuery(requiredEnv('DIST_DIR'));
  const pool = new Pool(benchPoolConfig(requiredEnv('DB_URL'), 'squad-bench-l0'));
  const server = createServer((req, res) => {
    handle(pool, query, req, res).catch(() => {
      send(res, 500, { error: 'Internal error' });
    });
  });
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`L0 listening on ${port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void pool.end().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`L0 failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

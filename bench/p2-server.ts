/**
 * P2: a peer MCP server on `fastmcp` (punkpeye), set up as its README documents for a stateless
 * HTTP deployment: HTTP streaming with `stateless: true` (no session, no `initialize` needed
 * before a call) and `enableJsonResponse: true`, its `authenticate` hook checking the bearer key,
 * and a logger that keeps warnings and errors only. The tool has the same zod input and output
 * schemas as L1 and runs squad-mcp's own `player_stats` statement on a pool with squad-mcp's
 * settings. fastmcp speaks the 2025-era protocol only, so the bench sends it the 2025-11-25 form
 * of the call.
 *
 * Env: PORT, DB_URL, DIST_DIR, BENCH_API_KEY.
 */
import type { IncomingMessage } from 'node:http';

import { FastMCP, type Logger, UserError } from 'fastmcp';
import { Pool } from 'pg';

import { benchPoolConfig, requiredEnv, TOOL_NAME } from './common';
import { loadPlayerStatsQuery, namedStatement, playerStatsValues } from './player-stats-query';
import { type PlayerStats, playerStatsInput, playerStatsOutput } from './player-stats-schemas';

const inputSchema = playerStatsInput;
const outputSchema = playerStatsOutput;

const ignore = (): void => undefined;

/** Warnings and errors to stderr; debug, info and log lines dropped. */
const warnLogger: Logger = {
  debug: ignore,
  info: ignore,
  log: ignore,
  warn: (...args: unknown[]) => {
    console.warn(...args);
  },
  error: (...args: unknown[]) => {
    console.error(...args);
  },
};

interface BenchAuth {
  readonly [key: string]: unknown;
  readonly client: string;
}

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  const expected = `Bearer ${requiredEnv('BENCH_API_KEY')}`;
  const query = await loadPlayerStatsQuery(requiredEnv('DIST_DIR'));
  const pool = new Pool(benchPoolConfig(requiredEnv('DB_URL'), 'squad-bench-p2'));

  const server = new FastMCP<BenchAuth>({
    name: 'squad-bench-p2',
    version: '1.0.0',
    logger: warnLogger,
    authenticate: (request: IncomingMessage) => {
      if (request.headers.authorization !== expected) {
        // fastmcp answers a thrown Response as is.
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the documented way to refuse a caller
        throw new Response(null, { status: 401, statusText: 'Unauthorized' });
      }
      return Promise.resolve({ client: 'bench' });
    },
  });

  server.addTool({
    name: TOOL_NAME,
    description: 'Matches played, wins, losses, draws, eliminations and ratios of one player over final matches.',
    parameters: inputSchema,
    outputSchema,
    annotations: { title: "Get a player's career stats", readOnlyHint: true, idempotentHint: true },
    execute: async ({ player_id }) => {
      const { rows } = await pool.query<PlayerStats>(namedStatement(query, playerStatsValues(query, player_id)));
      const stats = rows[0];
      if (stats === undefined) {
        throw new UserError(`Player ${player_id} not found`);
      }
      // fastmcp validates a plain object against outputSchema and answers it as structuredContent plus its JSON text.
      return stats;
    },
  });

  await server.start({
    transportType: 'httpStream',
    httpStream: { port, host: '127.0.0.1', endpoint: '/mcp', stateless: true, enableJsonResponse: true },
  });
  process.stdout.write(`P2 listening on ${port}\n`);

  process.once('SIGTERM', () => {
    void server
      .stop()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`P2 failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * L1: the MCP SDK's documented minimal stateless server. `createMcpHandler(factory)` with default
 * options, a factory that builds an McpServer with the one tool (zod 4 schemas), served through
 * `toNodeHandler` on node:http. The tool runs squad-mcp's own `player_stats` statement on a pool
 * with squad-mcp's settings. No auth, logs or metrics.
 *
 * Env: PORT, DB_URL, DIST_DIR.
 */
import { createServer } from 'node:http';

import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Pool } from 'pg';

import { benchPoolConfig, requiredEnv, TOOL_NAME } from './common';
import { loadPlayerStatsQuery, namedStatement, playerStatsValues } from './player-stats-query';
import { type PlayerStats, playerStatsInput, playerStatsOutput } from './player-stats-schemas';

const inputSchema = playerStatsInput;
const outputSchema = playerStatsOutput;

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  const query = await loadPlayerStatsQuery(requiredEnv('DIST_DIR'));
  const pool = new Pool(benchPoolConfig(requiredEnv('DB_URL'), 'squad-bench-l1'));

  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: 'squad-bench-l1', version: '1.0.0' });
    server.registerTool(
      TOOL_NAME,
      {
        title: "Get a player's career stats",
        description: 'Matches played, wins, losses, draws, eliminations and ratios of one player over final matches.',
        inputSchema,
        outputSchema,
        annotations: { readOnlyHint: true, idempotentHint: true },
      },
      async ({ player_id }) => {
        const { rows } = await pool.query<PlayerStats>(namedStatement(query, playerStatsValues(query, player_id)));
        const stats = rows[0];
        if (stats === undefined) {
          return { content: [{ type: 'text', text: `Player ${player_id} not found` }], isError: true };
        }
        return { content: [{ type: 'text', text: JSON.stringify(stats) }], structuredContent: stats };
      },
    );
    return server;
  });
  const serve = toNodeHandler(handler);

  const server = createServer((req, res) => {
    void serve(req, res);
  });
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`L1 listening on ${port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void handler
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`L1 failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

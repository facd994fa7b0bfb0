/**
 * P1: a peer MCP server on NestJS, `@rekog/mcp-nest` as its documentation sets it up for a
 * stateless HTTP deployment. An `McpStrategy` with one `StreamableHttpTransport` (stateless, JSON
 * responses, both protocol eras), whose `/mcp` route is owned by a Nest HTTP controller
 * (`McpHttpControllerFor`) guarded by a bearer-key check and `@nestjs/throttler` (at a limit the
 * run cannot reach); the tool is an `@McpController` method with the same zod input and output
 * schemas as L1, running squad-mcp's own `player_stats` statement on a pool with squad-mcp's
 * settings. Nest and the strategy log at warn and above.
 *
 * Env: PORT, DB_URL, DIST_DIR, BENCH_API_KEY.
 */
import 'reflect-metadata';

import { type CanActivate, Controller, type ExecutionContext, Inject, Injectable, Module, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { McpController, McpHttpControllerFor, McpStrategy, StreamableHttpTransport, Tool } from '@rekog/mcp-nest';
import { Pool } from 'pg';

import { benchPoolConfig, requiredEnv, TOOL_NAME } from './common';
import { type CompiledQuery, loadPlayerStatsQuery, namedStatement, playerStatsValues } from './player-stats-query';
import { type PlayerStats, playerStatsInput, playerStatsOutput } from './player-stats-schemas';

const inputSchema = playerStatsInput;
const outputSchema = playerStatsOutput;

/** Far above what one run can send in a minute: the throttler counts every call but never refuses one. */
const THROTTLE_LIMIT_PER_MINUTE = 1_000_000_000;

const STATS_SOURCE = Symbol('player stats source');

interface StatsSource {
  readonly pool: Pool;
  readonly query: CompiledQuery;
}

/** `Authorization: Bearer <BENCH_API_KEY>` or 401. */
@Injectable()
class BearerKeyGuard implements CanActivate {
  private readonly expected = `Bearer ${requiredEnv('BENCH_API_KEY')}`;

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (request.headers.authorization !== this.expected) {
      throw new UnauthorizedException('a valid bearer key is required');
    }
    return true;
  }
}

@McpController()
class PlayerStatsTool {
  constructor(@Inject(STATS_SOURCE) private readonly source: StatsSource) {}

  @Tool({
    name: TOOL_NAME,
    description: 'Matches played, wins, losses, draws, eliminations and ratios of one player over final matches.',
    parameters: inputSchema,
    outputSchema,
    annotations: { title: "Get a player's career stats", readOnlyHint: true, idempotentHint: true },
  })
  async getPlayerStats(@Payload() { player_id }: { player_id: number }): Promise<PlayerStats | { content: { type: 'text'; text: string }[]; isError: true }> {
    const { pool, query } = this.source;
    const { rows } = await pool.query<PlayerStats>(namedStatement(query, playerStatsValues(query, player_id)));
    // The strategy validates a plain object against outputSchema and answers it as structuredContent plus its JSON text.
    return rows[0] ?? { content: [{ type: 'text', text: `Player ${player_id} not found` }], isError: true };
  }
}

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  requiredEnv('BENCH_API_KEY');
  const query = await loadPlayerStatsQuery(requiredEnv('DIST_DIR'));
  const pool = new Pool(benchPoolConfig(requiredEnv('DB_URL'), 'squad-bench-p1'));

  const transport = new StreamableHttpTransport({ statefulMode: false, enableJsonResponse: true });
  const strategy = new McpStrategy({
    name: 'squad-bench-p1',
    version: '1.0.0',
    transports: [transport],
    logging: { level: ['error', 'warn'] },
  });

  @Controller('mcp')
  @UseGuards(BearerKeyGuard, ThrottlerGuard)
  class McpHttpController extends McpHttpControllerFor(transport) {}

  @Module({
    imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: THROTTLE_LIMIT_PER_MINUTE }])],
    controllers: [McpHttpController, PlayerStatsTool],
    providers: [BearerKeyGuard, { provide: STATS_SOURCE, useValue: { pool, query } satisfies StatsSource }],
  })
  class BenchModule {}

  const app = await NestFactory.create(BenchModule, { logger: ['error', 'warn'] });
  strategy.setHttpAdapter(app.getHttpAdapter());
  app.connectMicroservice({ strategy });
  await app.startAllMicroservices();
  await app.listen(port, '127.0.0.1');
  process.stdout.write(`P1 listening on ${port}\n`);

  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`P1 failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';

import { createRequire } from 'node:module';
import path from 'node:path';

/** squad-mcp's compiled statement (`SqlQuery` in src/database/sql-query.ts). */
export interface CompiledQuery {
  readonly name: string;
  /** The prepared statement's name when it differs from `name`. */
  readonly statement?: string;
  readonly text: string;
  readonly params: readonly string[];
}

/** What the bench needs of the read-only gateway: the one method the repository calls. */
interface QueryCapture {
  rows(query: CompiledQuery, args: Readonly<Record<string, unknown>>): Promise<unknown[]>;
}

interface SqlBuilderModule {
  readonly SqlBuilder: { create(): Promise<object> };
}

interface PlayersRepositoryModule {
  readonly PlayersRepository: new (
    sql: object,
    gateway: QueryCapture,
  ) => {
    stats(playerId: number, since: Date | null, until: Date | null): Promise<unknown>;
  };
}

/**
 * The exact `player_stats` statement squad-mcp runs: its own PlayersRepository, built from the
 * compiled dist/ with the real SqlBuilder, asked for one player's stats with a gateway that
 * records the statement instead of running it. Nothing is retyped by hand.
 */
export async function loadPlayerStatsQuery(distDir: string): Promise<CompiledQuery> {
  const load = createRequire(path.join(distDir, 'main.js'));
  const { SqlBuilder } = load('./database/sql-builder.js') as SqlBuilderModule;
  const { PlayersRepository } = load('./domains/players/players.repository.js') as PlayersRepositoryModule;
  const captured: CompiledQuery[] = [];
  const capture: QueryCapture = {
    rows: (query) => {
      captured.push(query);
      return Promise.resolve([]);
    },
  };
  await new PlayersRepository(await SqlBuilder.create(), capture).stats(1, null, null);
  const [query] = captured;
  if (query?.name !== 'player_stats' || captured.length !== 1) {
    throw new Error(`expected one player_stats statement from PlayersRepository.stats, got ${captured.map((q) => q.name).join(', ')}`);
  }
  return query;
}

/**
 * The statement as pg's query config with its name, so every level runs it as squad-mcp's gateway
 * does: a named prepared statement, parsed once per connection and planned by PostgreSQL's plan
 * cache, the cheapest way the server allows.
 */
export function namedStatement(query: CompiledQuery, values: unknown[]): { name: string; text: string; values: unknown[] } {
  return { name: query.statement ?? query.name, text: query.text, values };
}

/** The bound values of the statement for one player over all time (no since/until), in `$n` order. */
export function playerStatsValues(query: CompiledQuery, playerId: number): unknown[] {
  const args: Readonly<Record<string, unknown>> = { playerId, since: null, until: null };
  return query.params.map((param) => args[param] ?? null);
}

import 'reflect-metadata';

import { createRequire } from 'node:module';
import path from 'node:path';

import { Client } from 'pg';

import { MODERN_PROTOCOL } from './common';
import type { CompiledQuery } from './player-stats-query';

/**
 * The per-SQL-tool table: each SQL tool called on a running squad-mcp through its MCP endpoint by
 * one client, one call after another, with arguments picked from the data, so the latency is the
 * caller's. Beside it, the plan PostgreSQL makes for the tool's main statement with the same
 * values (the statement compiled by squad-mcp's own repositories from dist/, never retyped).
 */

export interface SqlToolsOptions {
  /** squad-mcp's MCP endpoint. */
  readonly url: string;
  readonly apiKey: string;
  readonly dbUrl: string;
  readonly distDir: string;
  /** Measured calls per tool (after a short warm-up); fewer when a tool is slow. */
  readonly calls: number;
  readonly log: (line?: string) => void;
}

export interface SqlToolRow {
  readonly tool: string;
  readonly args: string;
  readonly calls: number;
  readonly p50: number;
  readonly p99: number;
  readonly rows: string;
  readonly plan: string;
}

const WARMUP_CALLS = 10;
// A tool slower than this per case stops early (still at least MIN_CALLS), so the step stays short.
const CASE_BUDGET_MS = 8_000;
const MIN_CALLS = 30;
const TARGET_P50_MS = 10;
const TARGET_P99_MS = 50;

interface Picks {
  readonly playerId: number;
  readonly fragment: string;
  readonly region: string;
  readonly squadFragment: string;
  readonly rivals: { a: number; b: number };
  readonly organizerId: number;
  readonly eventId: number;
  readonly attendeeId: number;
  readonly monthAgo: string;
}

/** What a bench case asks of squad-mcp's repositories to get the statements the tool runs. */
type Repositories = Record<'players' | 'squads' | 'events' | 'matches', Record<string, (...args: unknown[]) => Promise<unknown>>>;

interface ToolCase {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly userId?: number;
  readonly statements: (repos: Repositories) => Promise<unknown>;
}

interface Captured {
  readonly query: CompiledQuery;
  readonly values: unknown[];
}

async function pick(client: Client, playerId: number): Promise<Picks> {
  const one = async <R extends object>(text: string, values: unknown[] = []): Promise<R> => {
    const { rows } = await client.query<R>(text, values);
    const row = rows[0];
    if (row === undefined) {
      throw new Error(`the benchmark database has no row for: ${text}`);
    }
    return row;
  };
  const player = await one<{ fragment: string }>('SELECT lower(substr(callsign, 2, 3)) AS fragment FROM players WHERE id = $1', [playerId]);
  const region = await one<{ region: string }>('SELECT region FROM players GROUP BY region ORDER BY COUNT(*) DESC, region LIMIT 1');
  const squad = await one<{ fragment: string }>('SELECT lower(substr(name, 1, 3)) AS fragment FROM squads ORDER BY id LIMIT 1');
  const rivals = await one<{ a: number; b: number }>(
    `SELECT LEAST(home_squad_id, away_squad_id) AS a, GREATEST(home_squad_id, away_squad_id) AS b FROM matches
      WHERE status = 'final' GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2 LIMIT 1`,
  );
  const organizer = await one<{ id: number }>(
    `SELECT organizer_squad_id AS id FROM events WHERE status = 'scheduled' AND starts_at >= now() AND organizer_squad_id IS NOT NULL
      GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1`,
  );
  const event = await one<{ id: number }>(
    `SELECT r.event_id AS id FROM event_rsvps r JOIN events e ON e.id = r.event_id WHERE e.status = 'scheduled'
      GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1`,
  );
  const attendee = await one<{ id: number }>(
    `SELECT r.player_id AS id FROM event_rsvps r JOIN events e ON e.id = r.event_id
      WHERE e.status = 'scheduled' AND e.starts_at >= now() AND r.status IN ('going', 'maybe')
      GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1`,
  );
  const latest = await one<{ day: string }>(
    "SELECT to_char(MAX(played_at) - interval '30 days', 'YYYY-MM-DD') AS day FROM matches WHERE status = 'final'",
  );
  return {
    playerId,
    fragment: player.fragment,
    region: region.region,
    squadFragment: squad.fragment,
    rivals,
    organizerId: organizer.id,
    eventId: event.id,
    attendeeId: attendee.id,
    monthAgo: latest.day,
  };
}

/** The `%…%` pattern squad-mcp makes of a search text (no wildcards in the picked fragments). */
const contains = (text: string): string => `%${text}%`;
const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

function cases(p: Picks): ToolCase[] {
  const all = { since: null, until: null };
  const anyRanking = { region: null, ...all, minMatches: 1 };
  const anyRecent = { squadId: null, fieldId: null, ...all };
  const upcoming = { to: null, squadId: null, fieldId: null, region: null, kind: null };
  return [
    {
      tool: 'search_players',
      args: { query: p.fragment },
      statements: (r) => r.players.search!({ pattern: contains(p.fragment), region: null, position: null }, 10, 0),
    },
    {
      tool: 'search_players',
      args: { region: p.region, position: 'back' },
      statements: (r) => r.players.search!({ pattern: null, region: p.region, position: 'back' }, 10, 0),
    },
    { tool: 'get_player_stats', args: { player_id: p.playerId }, statements: (r) => r.players.stats!(p.playerId, null, null) },
    { tool: 'list_player_matches', args: { player_id: p.playerId }, statements: (r) => r.players.matches!(p.playerId, 10, 0) },
    {
      tool: 'list_squads',
      args: { query: p.squadFragment },
      statements: (r) => r.squads.list!({ pattern: contains(p.squadFragment), region: null, recruiting: null }, 10, 0),
    },
    {
      tool: 'list_squads',
      args: { region: p.region, recruiting: true },
      statements: (r) => r.squads.list!({ pattern: null, region: p.region, recruiting: true }, 10, 0),
    },
    { tool: 'get_squad_record', args: { squad_id: p.rivals.a }, statements: (r) => r.squads.record!(p.rivals.a, null, null) },
    {
      tool: 'get_head_to_head',
      args: { squad_id: p.rivals.a, opponent_squad_id: p.rivals.b },
      statements: (r) => r.squads.headToHead!(p.rivals.a, p.rivals.b, 10, 0),
    },
    { tool: 'list_upcoming_events', args: {}, statements: (r) => r.events.upcoming!({ from: new Date(), ...upcoming }, 10, 0) },
    {
      tool: 'list_upcoming_events',
      args: { squad_id: p.organizerId },
      statements: (r) => r.events.upcoming!({ from: new Date(), ...upcoming, squadId: p.organizerId }, 10, 0),
    },
    {
      tool: 'list_upcoming_events',
      args: { region: p.region },
      statements: (r) => r.events.upcoming!({ from: new Date(), ...upcoming, region: p.region }, 10, 0),
    },
    { tool: 'get_event_attendance', args: { event_id: p.eventId }, statements: (r) => r.events.attendance!(p.eventId, null, 10, 0) },
    {
      tool: 'list_my_events',
      args: {},
      userId: p.attendeeId,
      statements: (r) => r.events.mine!(String(p.attendeeId), { from: new Date(), to: null }, 10, 0),
    },
    { tool: 'list_recent_matches', args: {}, statements: (r) => r.matches.recent!(anyRecent, 10, 0) },
    {
      tool: 'list_recent_matches',
      args: { squad_id: p.rivals.a },
      statements: (r) => r.matches.recent!({ ...anyRecent, squadId: p.rivals.a }, 10, 0),
    },
    {
      tool: 'get_leaderboard',
      args: { metric: 'eliminations' },
      statements: (r) => r.matches.leaderboard!('eliminations', anyRanking, 10, 0),
    },
    {
      tool: 'get_leaderboard',
      args: { metric: 'wins', since: p.monthAgo },
      statements: (r) => r.matches.leaderboard!('wins', { ...anyRanking, since: day(p.monthAgo) }, 10, 0),
    },
    { tool: 'get_squad_rankings', args: {}, statements: (r) => r.matches.squadRankings!(anyRanking, 10, 0) },
    {
      tool: 'get_squad_rankings',
      args: { region: p.region },
      statements: (r) => r.matches.squadRankings!({ ...anyRanking, region: p.region }, 10, 0),
    },
  ];
}

/** squad-mcp's four repositories from dist/, over a gateway that records each statement and its values. */
async function capturingRepositories(distDir: string, captured: Captured[]): Promise<Repositories> {
  const load = createRequire(path.join(distDir, 'main.js'));
  const { SqlBuilder } = load('./database/sql-builder.js') as { SqlBuilder: { create(): Promise<object> } };
  const record = (query: CompiledQuery, args: Readonly<Record<string, unknown>>): void => {
    captured.push({ query, values: query.params.map((param) => args[param] ?? null) });
  };
  const gateway = {
    rows: (query: CompiledQuery, args: Readonly<Record<string, unknown>>) => {
      record(query, args);
      // One empty row: enough for the repositories that insist on an answer row.
      return Promise.resolve([{}]);
    },
    page: (list: { page: CompiledQuery; count: CompiledQuery }, args: Readonly<Record<string, unknown>>, limit: number, offset: number) => {
      record(list.page, { ...args, limit, offset });
      record(list.count, args);
      return Promise.resolve({ rows: [], total: 0 });
    },
  };
  const sql = await SqlBuilder.create();
  const build = (file: string, name: string): Record<string, (...args: unknown[]) => Promise<unknown>> => {
    const Repository = (load(file) as Record<string, new (sql: object, gateway: object) => Record<string, (...args: unknown[]) => Promise<unknown>>>)[name];
    if (Repository === undefined) {
      throw new Error(`${name} not found in ${file}`);
    }
    return new Repository(sql, gateway);
  };
  return {
    players: build('./domains/players/players.repository.js', 'PlayersRepository'),
    squads: build('./domains/squads/squads.repository.js', 'SquadsRepository'),
    events: build('./domains/events/events.repository.js', 'EventsRepository'),
    matches: build('./domains/matches/matches.repository.js', 'MatchesRepository'),
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function describePlan(plan: PlanNode): string {
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode): void => {
    nodes.push(node);
    (node.Plans ?? []).forEach(walk);
  };
  walk(plan);
  const paths = nodes.flatMap((node) => {
    if (node['Index Name'] !== undefined) {
      return [node['Index Name']];
    }
    return node['Node Type'] === 'Seq Scan' && node['Relation Name'] !== undefined ? [`Seq Scan ${node['Relation Name']}`] : [];
  });
  return `${plan['Node Type']} (${[...new Set(paths)].join(', ')})`;
}

/** The plan of the tool's first statement (its page, or its only one) as PostgreSQL makes it for these values. */
async function planOf(client: Client, statement: Captured | undefined): Promise<string> {
  if (statement === undefined) {
    return '?';
  }
  // squad-mcp's own compiled statement with an EXPLAIN prefix; values stay bound.
  // eslint-disable-next-line squad/no-sql-interpolation
  const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>('EXPLAIN (FORMAT JSON) ' + statement.query.text, statement.values);
  const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
  return plan === undefined ? '?' : `${statement.query.name}: ${describePlan(plan)}`;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * fraction) - 1)] ?? Number.NaN;
}

async function callTool(options: SqlToolsOptions, toolCase: ToolCase, id: number): Promise<{ ms: number; rows: string }> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: toolCase.tool,
      arguments: toolCase.args,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'squad-bench', version: '1.0.0' },
      },
    },
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN_PROTOCOL,
    'mcp-method': 'tools/call',
    'mcp-name': toolCase.tool,
    authorization: `Bearer ${options.apiKey}`,
    ...(toolCase.userId === undefined ? {} : { 'x-user-id': String(toolCase.userId) }),
  };
  const started = performance.now();
  const response = await fetch(options.url, { method: 'POST', body, headers });
  const text = await response.text();
  const ms = performance.now() - started;
  const answer = JSON.parse(text) as { result?: { isError?: boolean; structuredContent?: { items?: unknown[]; total_count?: number } } };
  const result = answer.result;
  if (!response.ok || result === undefined || result.isError === true || result.structuredContent === undefined) {
    throw new Error(`${toolCase.tool} ${JSON.stringify(toolCase.args)} failed: ${response.status} ${text.slice(0, 300)}`);
  }
  const items = result.structuredContent.items;
  return { ms, rows: items === undefined ? '1' : `${items.length} of ${result.structuredContent.total_count ?? '?'}` };
}

async function measureCase(options: SqlToolsOptions, toolCase: ToolCase): Promise<{ samples: number[]; rows: string }> {
  let rows = '?';
  for (let i = 0; i < WARMUP_CALLS; i += 1) {
    rows = (await callTool(options, toolCase, i)).rows;
  }
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < options.calls && (samples.length < MIN_CALLS || performance.now() - started < CASE_BUDGET_MS)) {
    samples.push((await callTool(options, toolCase, samples.length)).ms);
  }
  return { samples: samples.sort((a, b) => a - b), rows };
}

/** Runs every case and prints the table; returns its rows. */
export async function sqlToolsTable(options: SqlToolsOptions, playerId: number): Promise<SqlToolRow[]> {
  const client = new Client({ connectionString: options.dbUrl });
  await client.connect();
  try {
    const picks = await pick(client, playerId);
    const captured: Captured[] = [];
    const repositories = await capturingRepositories(options.distDir, captured);
    const results: SqlToolRow[] = [];
    for (const toolCase of cases(picks)) {
      captured.length = 0;
      await toolCase.statements(repositories);
      const plan = await planOf(client, captured[0]);
      const { samples, rows } = await measureCase(options, toolCase);
      const row = {
        tool: toolCase.tool,
        args: JSON.stringify(toolCase.args) + (toolCase.userId === undefined ? '' : ` (X-User-ID ${toolCase.userId})`),
        calls: samples.length,
        p50: percentile(samples, 0.5),
        p99: percentile(samples, 0.99),
        rows,
        plan,
      };
      results.push(row);
      options.log(`  ${row.tool} ${row.args}: p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms over ${row.calls} calls`);
    }
    return results;
  } finally {
    await client.end();
  }
}

/** The table as markdown, with the targets checked per row. */
export function sqlToolsMarkdown(rows: readonly SqlToolRow[]): string {
  const cells = [
    ['tool', 'arguments', 'calls', 'p50 ms', 'p99 ms', 'rows', 'plan of the main statement (top node, indexes and scans)', 'target'],
    ...rows.map((row) => [
      row.tool,
      '`' + row.args + '`',
      String(row.calls),
      row.p50.toFixed(2),
      row.p99.toFixed(2),
      row.rows,
      row.plan,
      row.p50 < TARGET_P50_MS && row.p99 < TARGET_P99_MS ? 'met' : 'MISSED',
    ]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(cells[0]!), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

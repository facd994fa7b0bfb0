/**
 * `npm run bench`: the same `tools/call` of `get_player_stats` (2026-07-28, or 2025-11-25 where a
 * peer speaks only that) against
 *   L0 a bare node:http server running squad-mcp's SQL through pg,
 *   L1 the MCP SDK's minimal stateless server (createMcpHandler with default options),
 *   P1 a peer on NestJS: @rekog/mcp-nest with a bearer-key guard and @nestjs/throttler,
 *   P2 a peer on fastmcp with its authenticate hook (2025-11-25 stateless form of the call),
 *   L2 squad-mcp as deployed (production mode, auth, Redis rate limit, JSON logs to a file,
 *      metrics, validation), plus the saturation rate of a `tools/list` on it,
 * one after another on this machine with one load generator (autocannon, plus an open-loop paced
 * run at the same fixed rate), then a memory soak of L2. See bench/README.md. Knobs:
 * BENCH_DURATION, BENCH_SOAK_CALLS and the others in `settings`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import autocannon from 'autocannon';
import { Client } from 'pg';

import {
  freePort,
  isToolListSuccess,
  isToolSuccess,
  LEGACY_PROTOCOL,
  legacyToolCallRequest,
  MODERN_PROTOCOL,
  POOL_MAX,
  POOL_MIN,
  procSample,
  toolCallRequest,
  toolsListRequest,
} from './common';
import { startOtlpSink } from './otlp-sink';
import { pacedLoad, type PacedResult } from './paced';
import { loadPlayerStatsQuery } from './player-stats-query';
import { type CpuProfile, heapAfterGc, type HeapSample, profileDuring, type ProfileSummary, summarizeProfile } from './profile';
import { sqlToolsMarkdown, sqlToolsTable } from './sql-tools';

type LevelKey = 'L0' | 'L1' | 'P1' | 'P2' | 'L2';

/** The peer MCP servers L2 is compared with. */
const PEERS = ['P1', 'P2'] as const satisfies readonly LevelKey[];
/** Row order of the results table. */
const LEVEL_ORDER = ['L0', 'L1', ...PEERS, 'L2'] as const satisfies readonly LevelKey[];

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number`);
  }
  return value;
}

const ROOT = process.cwd();
const DIST = path.join(ROOT, 'dist');
const settings = {
  dbUrl: process.env.BENCH_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/squad_bench',
  scale: envNumber('BENCH_SCALE', 50),
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15',
  /** Seconds of each measured run (saturation, fixed rate). */
  duration: envNumber('BENCH_DURATION', 10),
  /** Seconds of load before measuring, so every server is JIT-warm. */
  warmup: envNumber('BENCH_WARMUP', 2),
  /** Connections of the saturation runs and the soak. */
  connections: envNumber('BENCH_CONNECTIONS', 32),
  /** Connections of the fixed-rate runs. */
  rateConnections: envNumber('BENCH_RATE_CONNECTIONS', 10),
  soakCalls: envNumber('BENCH_SOAK_CALLS', 200_000),
  /**
   * What to run, comma-separated: compare (L0/L1/P1/P2/L2 table, tools/list on L2), soak (L2 memory soak), profile (CPU
   * profiles of L0, L1 and L2 at saturation, by layer), ablate (L2 at saturation as deployed, with
   * LOG_LEVEL=warn, and as the builds named in BENCH_L2_BUILDS), sql-tools (every SQL tool on L2,
   * one client, sequential calls: p50/p99, rows and plan per tool), cache (get_player on L2 at
   * saturation with the result cache on and off: calls/s and hit rate).
   */
  steps: new Set((process.env.BENCH_STEPS ?? 'compare,soak,sql-tools,cache').split(',').map((step) => step.trim())),
  /** Measured calls per tool in the sql-tools step. */
  sqlToolCalls: envNumber('BENCH_SQL_TOOL_CALLS', 200),
  keepFiles: process.env.BENCH_KEEP === '1',
  /** Rounds of the ablate step (variants interleaved; medians reported). */
  ablateRounds: envNumber('BENCH_ABLATE_ROUNDS', 1),
  /** Extra L2 builds for the ablate step, `name=dir,…` (e.g. a patched copy of dist/ to try a change). */
  extraBuilds: (process.env.BENCH_L2_BUILDS ?? '')
    .split(',')
    .filter((entry) => entry.includes('='))
    .map((entry) => {
      const [name = '', dir = ''] = entry.split('=');
      return { name, dist: path.resolve(dir) };
    }),
};

/**
 * NODE_OPTIONS of the deployment (deploy/k8s/deployment.yaml, documented in DEPLOYMENT.md), which
 * L2 runs with; BENCH_L2_NODE_OPTIONS overrides it ('' for none).
 */
function deployedNodeOptions(): string {
  const override = process.env.BENCH_L2_NODE_OPTIONS;
  if (override !== undefined) {
    return override;
  }
  try {
    const manifest = readFileSync(path.join(ROOT, 'deploy', 'k8s', 'deployment.yaml'), 'utf8');
    return /name: NODE_OPTIONS\s*\n\s*value: (.+)/.exec(manifest)?.[1]?.trim() ?? '';
  } catch {
    return '';
  }
}

const L2_NODE_OPTIONS = deployedNodeOptions();

const workDir = mkdtempSync(path.join(os.tmpdir(), 'squad-bench-'));
const children = new Set<ChildProcess>();

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------- children

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly stderrFile: string;
}

function startChild(name: string, args: readonly string[], env: Record<string, string>, stdoutFile: string): Child {
  const stderrFile = path.join(workDir, `${name}.stderr`);
  const out = openSync(stdoutFile, 'w');
  const err = openSync(stderrFile, 'w');
  const child = spawn(process.execPath, args, { cwd: workDir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  if (child.pid === undefined) {
    throw new Error(`${name} did not start`);
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
  return { name, process: child, pid: child.pid, stderrFile };
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!stopped) {
    child.process.kill('SIGKILL');
    await exited;
  }
}

function stopAll(): void {
  for (const child of children) {
    child.kill('SIGKILL');
  }
}

interface Probe {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Probe> {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

/**
 * Waits until the child answers the benchmark request correctly (a successful tool answer carrying
 * `expect`, or what `expect` accepts when it is a check); returns that first answer.
 */
async function waitReady(
  child: Child,
  url: string,
  body: string,
  headers: Record<string, string>,
  expect?: string | ((body: string) => boolean),
  timeoutMs = 90_000,
): Promise<Probe> {
  const accepts = typeof expect === 'function' ? expect : (text: string): boolean => isToolSuccess(text, expect);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${tail(child.stderrFile)}`);
    }
    try {
      const probe = await post(url, body, headers);
      if (probe.status === 200 && accepts(probe.body)) {
        return probe;
      }
      last = `${probe.status} ${probe.body.slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`${child.name} not ready after ${timeoutMs} ms (last: ${last}):\n${tail(child.stderrFile)}`);
}

// ---------------------------------------------------------------- load

interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly duration?: number;
  readonly amount?: number;
  readonly overallRate?: number;
  /** Record every latency (sub-millisecond) for percentiles. */
  readonly recordLatency: boolean;
  /** Called on every response. */
  readonly onResponse?: () => void;
  /** A field every successful answer carries; the stats' `matches_played` when omitted. */
  readonly expectField?: string;
  /** What a successful answer is, instead of a tool answer carrying `expectField`. */
  readonly accepts?: (body: string) => boolean;
}

interface LoadResult {
  readonly seconds: number;
  /** 2xx answers that are a successful tool result. */
  readonly ok: number;
  readonly callsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly mismatches: number;
  readonly timeouts: number;
  /** CPU time of this (load generator) process during the run, in ms. */
  readonly generatorCpuMs: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/**
 * One autocannon run. Latencies come from autocannon's per-response event (hrtime, fractional
 * milliseconds), since its own histogram records whole milliseconds only.
 */
function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const accepts = options.accepts ?? ((body: string): boolean => isToolSuccess(body, options.expectField));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        body: options.body,
        headers: options.headers,
        connections: options.connections,
        ...(options.amount === undefined ? { duration: options.duration ?? settings.duration } : { amount: options.amount }),
        ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
        timeout: 10,
        verifyBody: (body) => body !== undefined && accepts(body.toString()),
      },
      (error: unknown, result: autocannon.Result) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          return;
        }
        const cpu = process.cpuUsage(cpuBefore);
        const sorted = Float64Array.from(latencies).sort();
        const ok = result['2xx'] - result.mismatches;
        resolve({
          seconds: result.duration,
          ok,
          callsPerSecond: ok / result.duration,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          errors: result.errors,
          non2xx: result.non2xx,
          mismatches: result.mismatches,
          timeouts: result.timeouts,
          generatorCpuMs: (cpu.user + cpu.system) / 1000,
        });
      },
    );
    const { onResponse } = options;
    if (onResponse !== undefined) {
      instance.on('response', () => {
        onResponse();
      });
    }
    if (options.recordLatency) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) {
          latencies.push(responseTime);
        }
      });
    }
  });
}

// ---------------------------------------------------------------- setup

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      // A database name cannot be a bound parameter; it is quoted as an identifier.
      await client.query(['CREATE DATABASE', client.escapeIdentifier(name)].join(' '));
      log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

function runToEnd(args: readonly string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${args.join(' ')} exited with ${code}`));
      }
    });
  });
}

interface DatabaseFacts {
  readonly playerId: number;
  readonly matches: number;
  readonly statRows: number;
  readonly serverVersion: string;
}

async function databaseFacts(url: string): Promise<DatabaseFacts> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const top = await client.query<{ player_id: number; matches: number }>(
      'SELECT player_id, CAST(COUNT(*) AS integer) AS matches FROM match_player_stats GROUP BY player_id ORDER BY COUNT(*) DESC, player_id LIMIT 1',
    );
    const rows = await client.query<{ total: number }>('SELECT CAST(COUNT(*) AS integer) AS total FROM match_player_stats');
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    const player = top.rows[0];
    if (player === undefined) {
      throw new Error('the benchmark database holds no match stats');
    }
    return { playerId: player.player_id, matches: player.matches, statRows: rows.rows[0]?.total ?? 0, serverVersion: version.rows[0]?.server_version ?? '?' };
  } finally {
    await client.end();
  }
}

/** Redis must answer: without it squad-mcp would count rate limits in memory instead. */
function pingRedis(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port === '' ? 6379 : port), hostname, () => socket.write('PING\r\n'));
    socket.setTimeout(3000, () => socket.destroy(new Error(`Redis at ${hostname}:${port} does not answer`)));
    socket.once('data', (data) => {
      socket.end();
      if (data.toString().startsWith('+PONG')) {
        resolve();
      } else {
        reject(new Error(`Redis answered ${data.toString().trim()}`));
      }
    });
    socket.once('error', reject);
  });
}

// ---------------------------------------------------------------- levels

interface StartOptions {
  /** Listen for the inspector on this port (profiles, forced GC). */
  readonly inspectPort?: number;
  /** Environment overrides (L2 ablations). */
  readonly env?: Record<string, string | undefined>;
  /** Another build of squad-mcp to run as L2 (its dist/ directory). */
  readonly dist?: string;
}

interface LevelSpec {
  readonly key: LevelKey;
  readonly title: string;
  /** The call this level gets in the compare step. */
  readonly request: RequestSpec;
  readonly start: (port: number, options?: StartOptions) => Child;
}

interface LevelResult {
  readonly key: LevelKey;
  readonly title: string;
  readonly probe: Probe;
  readonly saturation: LoadResult;
  readonly fixedRate: number;
  readonly fixed: LoadResult;
  readonly paced: PacedResult;
  /** Server CPU time per call during the fixed-rate run, in µs. */
  readonly cpuUsPerCall: number;
  /** Server CPU time per call during the saturation run, in µs. */
  readonly cpuUsPerCallSaturated: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  /** Saturation run of a `tools/list` on the same instance (L2 only). */
  readonly toolsList?: LoadResult;
}

interface RequestSpec {
  readonly body: string;
  readonly headers: Record<string, string>;
  /** What a successful answer is, when not a `get_player_stats` tool answer. */
  readonly accepts?: (body: string) => boolean;
}

function describeLoad(result: LoadResult): string {
  const problems = result.errors + result.non2xx + result.mismatches;
  const latency = Number.isNaN(result.p50) ? '' : `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, `;
  return (
    `${result.ok} ok in ${result.seconds.toFixed(1)} s = ${result.callsPerSecond.toFixed(0)} calls/s, ` +
    latency +
    `errors ${problems} (connection ${result.errors}, non-2xx ${result.non2xx}, bad body ${result.mismatches}), ` +
    `generator CPU ${((result.generatorCpuMs / (result.seconds * 1000)) * 100).toFixed(0)} % of a core`
  );
}

function describePaced(result: PacedResult): string {
  return (
    `${result.ok} ok of ${result.sent}, p50 ${percentile(result.latencies, 0.5).toFixed(2)} ms, p99 ${percentile(result.latencies, 0.99).toFixed(2)} ms, ` +
    `failed ${result.failed}, at most ${result.sockets} connections, send lag ≤ ${result.maxLagMs.toFixed(1)} ms`
  );
}

/**
 * One level at saturation, at the fixed rate (autocannon and paced); then, when `toolsList` is
 * given, that request at saturation on the same warm instance.
 */
async function measureLevel(spec: LevelSpec, fixedRate: (saturation: LoadResult) => number, toolsList?: RequestSpec): Promise<LevelResult> {
  const { request } = spec;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port);
  try {
    const probe = await waitReady(child, url, request.body, request.headers);
    const version = request.headers['mcp-protocol-version'] ?? '?';
    log(`${spec.key} ${spec.title} (pid ${child.pid}, port ${port}) answers the ${version} tools/call with ${probe.status} ${probe.contentType}:`);
    log(`  ${probe.body}`);
    const target = { ...request, url };
    await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
    await sleep(500);
    const before = procSample(child.pid);
    const saturation = await load({ ...target, connections: settings.connections, recordLatency: true });
    const afterSaturation = procSample(child.pid);
    log(`  saturation (${settings.connections} connections): ${describeLoad(saturation)}`);
    const rate = fixedRate(saturation);
    await sleep(500);
    const fixedBefore = procSample(child.pid);
    const fixed = await load({ ...target, connections: Math.min(settings.rateConnections, rate), overallRate: rate, recordLatency: true });
    const after = procSample(child.pid);
    log(`  fixed rate ${rate}/s (${Math.min(settings.rateConnections, rate)} connections): ${describeLoad(fixed)}`);
    await sleep(500);
    const paced = await pacedLoad(url, request.body, request.headers, rate, settings.duration, isToolSuccess);
    log(`  paced ${rate}/s (open loop): ${describePaced(paced)}`);
    const end = procSample(child.pid);
    const listResult = toolsList === undefined ? undefined : await measureToolsList(child, url, toolsList);
    return {
      key: spec.key,
      title: spec.title,
      probe,
      saturation,
      fixedRate: rate,
      fixed,
      paced,
      cpuUsPerCall: ((after.cpuMs - fixedBefore.cpuMs) * 1000) / Math.max(1, fixed.ok),
      cpuUsPerCallSaturated: ((afterSaturation.cpuMs - before.cpuMs) * 1000) / Math.max(1, saturation.ok),
      rssBeforeMb: before.rssMb,
      rssAfterMb: end.rssMb,
      ...(listResult === undefined ? {} : { toolsList: listResult }),
    };
  } finally {
    await stopChild(child);
  }
}

/** `tools/list` at saturation on a running, warm instance, after a short warm-up of that request. */
async function measureToolsList(child: Child, url: string, request: RequestSpec): Promise<LoadResult> {
  const probe = await waitReady(child, url, request.body, request.headers, request.accepts);
  const tools = (probe.body.match(/"inputSchema":/g) ?? []).length;
  log(`  tools/list answers ${probe.status} ${probe.contentType}, ${tools} tools, ${probe.body.length} bytes: ${probe.body.slice(0, 160)}…`);
  const target = { ...request, url };
  await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
  await sleep(500);
  const result = await load({ ...target, connections: settings.connections, recordLatency: true });
  log(`  tools/list saturation (${settings.connections} connections): ${describeLoad(result)}`);
  return result;
}

interface SoakResult {
  readonly calls: number;
  readonly load: LoadResult;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  /** RSS once the first tenth of the soak's calls are done. */
  readonly rssTenthMb: number;
  readonly rssAfterMb: number;
  readonly heapBefore: HeapSample;
  readonly heapAfter: HeapSample;
  readonly logBytes: number;
}

/** A fresh L2 (with the inspector listening, to force a GC and read its heap), warmed up, then BENCH_SOAK_CALLS calls. */
async function soakL2(spec: LevelSpec, request: RequestSpec, logFile: () => string): Promise<SoakResult> {
  const port = await freePort();
  const inspectPort = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port, { inspectPort });
  try {
    await waitReady(child, url, request.body, request.headers);
    const target = { ...request, url };
    await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
    await sleep(1000);
    const before = procSample(child.pid);
    const heapBefore = await heapAfterGc(inspectPort);
    let peak = before.rssMb;
    let tenth = NaN;
    let calls = 0;
    const sampler = setInterval(() => {
      const rss = procSample(child.pid).rssMb;
      peak = Math.max(peak, rss);
      if (Number.isNaN(tenth) && calls >= settings.soakCalls / 10) {
        tenth = rss;
      }
    }, 250);
    let result: LoadResult;
    try {
      result = await load({
        ...target,
        connections: settings.connections,
        amount: settings.soakCalls,
        recordLatency: false,
        onResponse: () => {
          calls += 1;
        },
      });
    } finally {
      clearInterval(sampler);
    }
    await sleep(1000);
    const after = procSample(child.pid);
    const heapAfter = await heapAfterGc(inspectPort);
    return {
      calls: settings.soakCalls,
      load: result,
      rssBeforeMb: before.rssMb,
      rssPeakMb: Math.max(peak, after.rssMb),
      rssTenthMb: tenth,
      rssAfterMb: after.rssMb,
      heapBefore,
      heapAfter,
      logBytes: statSync(logFile()).size,
    };
  } finally {
    await stopChild(child);
  }
}

interface LevelProfile {
  readonly key: LevelKey;
  readonly summary: ProfileSummary;
  readonly calls: number;
  readonly cpuUsPerCall: number;
  readonly file: string;
}

/** A fresh instance, warmed up, profiled over the inspector during one saturation run. */
async function profileLevel(spec: LevelSpec, request: RequestSpec): Promise<LevelProfile> {
  const port = await freePort();
  const inspectPort = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port, { inspectPort });
  try {
    await waitReady(child, url, request.body, request.headers);
    const target = { ...request, url };
    await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
    const before = procSample(child.pid);
    const { result, profile } = await profileDuring(inspectPort, () => load({ ...target, connections: settings.connections, recordLatency: false }));
    const after = procSample(child.pid);
    const cpuUsPerCall = ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, result.ok);
    log(`  ${spec.key} profiled at saturation: ${describeLoad(result)}; server CPU ${fmt(cpuUsPerCall, 0)} µs/call`);
    const file = path.join(workDir, `${spec.key.toLowerCase()}-saturation.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile satisfies CpuProfile));
    return { key: spec.key, summary: summarizeProfile(profile, ROOT), calls: result.ok, cpuUsPerCall, file };
  } finally {
    await stopChild(child);
  }
}

interface Ablation {
  readonly name: string;
  readonly options: StartOptions;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/**
 * L2 at saturation with parts turned off (or tracing turned on) through configuration only (src/ unchanged), and any
 * extra builds named in BENCH_L2_BUILDS; variants interleaved over BENCH_ABLATE_ROUNDS rounds.
 */
async function ablateL2(spec: LevelSpec, request: RequestSpec): Promise<void> {
  // Spans go to a sink in this process, so its CPU is not counted as the server's.
  const sink = await startOtlpSink();
  const variants: readonly Ablation[] = [
    { name: 'as deployed (LOG_LEVEL=info, REDIS_URL set)', options: {} },
    { name: 'LOG_LEVEL=warn (no per-call log lines)', options: { env: { LOG_LEVEL: 'warn' } } },
    { name: 'DB_NAMED_STATEMENTS=false (planned every call)', options: { env: { DB_NAMED_STATEMENTS: 'false' } } },
    { name: 'tracing on (OTLP/HTTP to a local sink)', options: { env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } } },
    { name: 'young generation of 8 MB semi-spaces', options: { env: { NODE_OPTIONS: `${L2_NODE_OPTIONS} --max-semi-space-size=8`.trim() } } },
    ...settings.extraBuilds.map((build) => ({ name: `build "${build.name}"`, options: { dist: build.dist } })),
  ];
  const runs = new Map<string, { callsPerSecond: number; cpu: number; p99: number }[]>();
  for (let round = 1; round <= settings.ablateRounds; round += 1) {
    for (const variant of variants) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/mcp`;
      const child = spec.start(port, variant.options);
      try {
        await waitReady(child, url, request.body, request.headers);
        const target = { ...request, url };
        await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
        await sleep(500);
        const before = procSample(child.pid);
        const result = await load({ ...target, connections: settings.connections, recordLatency: true });
        const after = procSample(child.pid);
        const cpu = ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, result.ok);
        log(`  round ${round}, ${variant.name}: ${describeLoad(result)}; server CPU ${fmt(cpu, 0)} µs/call`);
        runs.set(variant.name, [...(runs.get(variant.name) ?? []), { callsPerSecond: result.callsPerSecond, cpu, p99: result.p99 }]);
      } finally {
        await stopChild(child);
      }
    }
  }
  await sink.close();
  log(`  the OTLP sink received ${sink.received.exports} exports, ${fmt(sink.received.bytes / 1_048_576, 1)} MiB`);
  log();
  log(
    table([
      ['L2 variant (saturation; median of rounds)', 'calls/s', 'server CPU µs/call', 'p99 ms', 'rounds: calls/s'],
      ...variants.map((variant) => {
        const results = runs.get(variant.name) ?? [];
        return [
          variant.name,
          fmt(median(results.map((run) => run.callsPerSecond)), 0),
          fmt(median(results.map((run) => run.cpu)), 0),
          fmt(median(results.map((run) => run.p99)), 2),
          results.map((run) => fmt(run.callsPerSecond, 0)).join(', '),
        ];
      }),
    ]),
  );
}

// ---------------------------------------------------------------- report

function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function errorCount(result: LevelResult): number {
  const runs = [result.saturation, result.fixed].reduce((sum, run) => sum + run.errors + run.non2xx + run.mismatches, 0);
  return runs + result.paced.failed;
}

/** The peer with the most calls/s at saturation, and the peer with the least server CPU per call at R. */
function bestPeers(byKey: ReadonlyMap<LevelKey, LevelResult>): { fastest?: LevelResult; leanest?: LevelResult } {
  const peers = PEERS.flatMap((key) => byKey.get(key) ?? []);
  const pick = (better: (a: LevelResult, b: LevelResult) => boolean): LevelResult | undefined =>
    peers.reduce<LevelResult | undefined>((best, peer) => (best === undefined || better(peer, best) ? peer : best), undefined);
  return {
    fastest: pick((a, b) => a.saturation.callsPerSecond > b.saturation.callsPerSecond),
    leanest: pick((a, b) => a.cpuUsPerCall < b.cpuUsPerCall),
  };
}

function levelTable(byKey: ReadonlyMap<LevelKey, LevelResult>, rate: number): string {
  const p99 = (result: LevelResult): number => percentile(result.paced.latencies, 0.99);
  const l1 = byKey.get('L1');
  const { fastest, leanest } = bestPeers(byKey);
  const ratio = (value: number, base: number | undefined): string => (base === undefined ? 'n/a' : fmt(value / base, 2));
  const dash = '—';
  return table([
    [
      'level',
      'calls/s at saturation',
      `p50 / p99 ms @R autocannon (${Math.min(settings.rateConnections, rate)} conn)`,
      'p50 / p99 ms @R paced',
      'CPU µs/call @R',
      'calls/s × L1 / × best peer',
      'CPU/call × L1 / × best peer',
      'RSS before → after MB',
      'errors',
    ],
    ...LEVEL_ORDER.flatMap((key) => {
      const result = byKey.get(key);
      if (result === undefined) {
        return [];
      }
      const rows = [
        [
          `${result.key} ${result.title}`,
          fmt(result.saturation.callsPerSecond, 0),
          `${fmt(result.fixed.p50, 2)} / ${fmt(result.fixed.p99, 2)}`,
          `${fmt(percentile(result.paced.latencies, 0.5), 2)} / ${fmt(p99(result), 2)}`,
          fmt(result.cpuUsPerCall, 0),
          `${ratio(result.saturation.callsPerSecond, l1?.saturation.callsPerSecond)} / ${ratio(result.saturation.callsPerSecond, fastest?.saturation.callsPerSecond)}`,
          `${ratio(result.cpuUsPerCall, l1?.cpuUsPerCall)} / ${ratio(result.cpuUsPerCall, leanest?.cpuUsPerCall)}`,
          `${fmt(result.rssBeforeMb, 1)} → ${fmt(result.rssAfterMb, 1)}`,
          String(errorCount(result)),
        ],
      ];
      const list = result.toolsList;
      if (list !== undefined) {
        rows.push([
          `${result.key} tools/list (${MODERN_PROTOCOL}, all tools)`,
          fmt(list.callsPerSecond, 0),
          `${dash} (saturation: ${fmt(list.p50, 2)} / ${fmt(list.p99, 2)})`,
          dash,
          dash,
          dash,
          dash,
          dash,
          String(list.errors + list.non2xx + list.mismatches),
        ]);
      }
      return rows;
    }),
  ]);
}

function printResults(results: readonly LevelResult[], soak: SoakResult | undefined): void {
  const byKey = new Map(results.map((result) => [result.key, result]));
  const rate = byKey.get('L1')?.fixedRate ?? NaN;
  const p99 = (result: LevelResult): number => percentile(result.paced.latencies, 0.99);
  log();
  log(results.length === 0 ? '## Results' : `## Results: fixed rate R = ${rate} calls/s = half of L1's saturation`);
  log();
  if (results.length > 0) {
    log(levelTable(byKey, rate));
  }
  const [l0, l1, l2] = [byKey.get('L0'), byKey.get('L1'), byKey.get('L2')];
  const { fastest, leanest } = bestPeers(byKey);
  if (l0 !== undefined && l1 !== undefined && l2 !== undefined && fastest !== undefined && leanest !== undefined) {
    log();
    log(`Best peer: ${fastest.key} by calls/s at saturation, ${leanest.key} by server CPU per call at R.`);
    const ratios = (a: LevelResult, b: LevelResult): string[] => [
      `${a.key}/${b.key}`,
      fmt(a.saturation.callsPerSecond / b.saturation.callsPerSecond, 2),
      fmt(a.fixed.p99 / b.fixed.p99, 2),
      fmt(p99(a) / p99(b), 2),
      fmt(a.cpuUsPerCall / b.cpuUsPerCall, 2),
    ];
    const peers = PEERS.flatMap((key) => byKey.get(key) ?? []);
    log();
    log(
      table([
        ['ratio', 'throughput', 'p99 @R autocannon', 'p99 @R paced', 'CPU/call'],
        ratios(l2, l1),
        ratios(l2, l0),
        ...peers.map((peer) => ratios(l2, peer)),
        ...peers.map((peer) => ratios(peer, l1)),
        ratios(l1, l0),
      ]),
    );
    log();
    log('Targets for L2:');
    const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
    const [l2Rate, l1Rate, l0Rate, peerRate] = [l2, l1, l0, fastest].map((level) => level.saturation.callsPerSecond) as [number, number, number, number];
    const atLeast = (name: string, factor: number, base: number): void => {
      log(`  throughput ≥ ${factor} × ${name}: ${fmt(l2Rate, 0)} vs ${fmt(factor * base, 0)} calls/s (× ${fmt(l2Rate / base, 2)}) → ${verdict(l2Rate >= factor * base)}`);
    };
    const cpuAtMost = (whose: string, factor: number, base: number): void => {
      const cpuRatio = l2.cpuUsPerCall / base;
      log(`  CPU per call ≤ ${factor} × ${whose}: ${fmt(l2.cpuUsPerCall, 0)} vs ${fmt(factor * base, 0)} µs (× ${fmt(cpuRatio, 2)}) → ${verdict(cpuRatio <= factor)}`);
    };
    atLeast(`the best peer (${fastest.key})`, 1.25, peerRate);
    cpuAtMost(`the best peer's (${leanest.key})`, 0.8, leanest.cpuUsPerCall);
    atLeast('L1', 1.5, l1Rate);
    cpuAtMost("L1's", 0.6, l1.cpuUsPerCall);
    atLeast('L0', 0.4, l0Rate);
    log(`  paced p99 @${rate}/s ≤ L1's: ${fmt(p99(l2), 2)} vs ${fmt(p99(l1), 2)} ms → ${verdict(p99(l2) <= p99(l1))}`);
    const list = l2.toolsList;
    if (list !== undefined) {
      const listRatio = list.callsPerSecond / l2Rate;
      log(
        `  tools/list ≥ 0.9 × L2's tools/call rate: ${fmt(list.callsPerSecond, 0)} vs ${fmt(0.9 * l2Rate, 0)} calls/s (× ${fmt(listRatio, 2)}) → ` +
          verdict(listRatio >= 0.9),
      );
    }
  }
  if (soak !== undefined) {
    const growth = soak.rssAfterMb - soak.rssBeforeMb;
    const sign = (value: number): string => `${value >= 0 ? '+' : ''}${fmt(value, 1)}`;
    log(
      `  RSS growth over ${soak.calls} calls < 30 MB: ${fmt(soak.rssBeforeMb, 1)} → ${fmt(soak.rssAfterMb, 1)} MB (peak ${fmt(soak.rssPeakMb, 1)}) = ` +
        `${sign(growth)} MB → ${growth < 30 ? 'met' : 'MISSED'}`,
    );
    log(
      `    of which over the last nine tenths (RSS after ${soak.calls / 10} calls ${fmt(soak.rssTenthMb, 1)} MB): ` +
        `${sign(soak.rssAfterMb - soak.rssTenthMb)} MB`,
    );
    const heap = (sample: HeapSample): string =>
      `live heap ${fmt(sample.heapUsedMb, 1)}, V8 heap reserved ${fmt(sample.heapTotalMb, 1)}, external ${fmt(sample.externalMb, 1)}`;
    log(`    after a forced full GC, before: ${heap(soak.heapBefore)} MB; after: ${heap(soak.heapAfter)} MB`);
    log(`    RSS right after those forced GCs: ${fmt(soak.heapBefore.rssMb, 1)} → ${fmt(soak.heapAfter.rssMb, 1)} MB`);
    const problems = soak.load.errors + soak.load.non2xx + soak.load.mismatches;
    log(
      `  soak: ${soak.load.ok} ok in ${fmt(soak.load.seconds, 1)} s (${fmt(soak.load.callsPerSecond, 0)} calls/s), errors ${problems}; ` +
        `JSON log of that instance ${fmt(soak.logBytes / 1024 / 1024, 0)} MB (${fmt(soak.logBytes / Math.max(1, soak.load.ok), 0)} bytes/call)`,
    );
  }
}

function printProfiles(profiles: readonly LevelProfile[]): void {
  log();
  log('## CPU by layer at saturation (main thread, sampled; µs per call, Node core and builtin time charged to the layer that called it)');
  log();
  const layers = [...new Set(profiles.flatMap((profile) => profile.summary.layers.map((layer) => layer.layer)))];
  const charged = (profile: LevelProfile, layer: string): number =>
    ((profile.summary.layers.find((entry) => entry.layer === layer)?.chargedMs ?? 0) * 1000) / Math.max(1, profile.calls);
  const last = profiles.at(-1);
  const order = last === undefined ? layers : [...layers].sort((a, b) => charged(last, b) - charged(last, a));
  log(
    table([
      ['layer', ...profiles.map((profile) => `${profile.key} µs/call`)],
      ...order.map((layer) => [layer, ...profiles.map((profile) => fmt(charged(profile, layer), 1))]),
      ['total sampled', ...profiles.map((profile) => fmt((profile.summary.totalMs * 1000) / Math.max(1, profile.calls), 1))],
      ['process CPU (/proc, all threads)', ...profiles.map((profile) => fmt(profile.cpuUsPerCall, 1))],
    ]),
  );
  for (const profile of profiles.filter((entry) => entry.key === 'L2')) {
    log();
    log(`Top functions of ${profile.key} by self time (${profile.file}):`);
    log(
      table([
        ['function', 'layer', 'self µs/call'],
        ...profile.summary.hot.map((fn) => [fn.name, fn.layer, fmt((fn.selfMs * 1000) / Math.max(1, profile.calls), 1)]),
      ]),
    );
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!process.version.startsWith('v24.')) {
    throw new Error(`run through npm (npm run bench) so the pinned Node 24 runs it; this is ${process.version}`);
  }
  readFileSync(path.join(DIST, 'main.js'));
  const cpus = os.cpus();
  log('# squad-mcp benchmark');
  log(
    `machine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB; Node ${process.version}; ` +
      `load average before: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`,
  );
  log(`the load generator (autocannon, this process), the server under test and PostgreSQL share these ${cpus.length} cores`);
  const nodeOptionsFrom = process.env.BENCH_L2_NODE_OPTIONS === undefined ? 'deploy/k8s/deployment.yaml' : 'BENCH_L2_NODE_OPTIONS';
  log(
    `L2 runs with NODE_ENV=production (as in the image) and NODE_OPTIONS=${L2_NODE_OPTIONS === '' ? '(none)' : L2_NODE_OPTIONS} (from ${nodeOptionsFrom})`,
  );
  log(`work dir: ${workDir}`);
  log();

  await ensureDatabase(settings.dbUrl);
  await runToEnd([path.join(DIST, 'demo', 'seed.cli.js'), '--scale', String(settings.scale)], { DB_URL: settings.dbUrl });
  const facts = await databaseFacts(settings.dbUrl);
  const query = await loadPlayerStatsQuery(DIST);
  log(
    `PostgreSQL ${facts.serverVersion}, scale ${settings.scale} (${facts.statRows} stat rows); player ${facts.playerId} (${facts.matches} matches); ` +
      `statement ${query.name} (${query.text.length} chars, params ${query.params.join(', ')}) from dist/; pool min ${POOL_MIN} max ${POOL_MAX} on every level`,
  );
  await pingRedis(settings.redisUrl);

  const apiKey = `bench-${randomBytes(24).toString('hex')}`;
  const keyId = `bench-${process.pid}`;
  const keysFile = path.join(workDir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify([{ id: keyId, sha256: createHash('sha256').update(apiKey).digest('hex'), roles: ['service'], rate_limit_rpm: 1_000_000 }]));
  const request = toolCallRequest(facts.playerId, apiKey);

  const apiPort = await freePort();
  const demoApi = startChild('demo-api', [path.join(DIST, 'demo', 'demo-api.cli.js')], { DB_URL: settings.dbUrl, PORT: String(apiPort) }, path.join(workDir, 'demo-api.log'));
  const serverEnv = { DB_URL: settings.dbUrl, DIST_DIR: DIST };
  const peerEnv = { ...serverEnv, BENCH_API_KEY: apiKey, NODE_ENV: 'production' };
  const legacyRequest = legacyToolCallRequest(facts.playerId, apiKey);
  const l2LogFiles: string[] = [];
  const levels: Record<LevelKey, LevelSpec> = {
    L0: {
      key: 'L0',
      title: 'bare node:http + pg',
      request,
      start: (port, options = {}) => startChild('L0', [...inspectArgs(options), path.join(__dirname, 'l0-server.js')], { ...serverEnv, PORT: String(port) }, path.join(workDir, 'l0.log')),
    },
    L1: {
      key: 'L1',
      title: 'SDK createMcpHandler (defaults)',
      request,
      start: (port, options = {}) => startChild('L1', [...inspectArgs(options), path.join(__dirname, 'l1-server.js')], { ...serverEnv, PORT: String(port) }, path.join(workDir, 'l1.log')),
    },
    P1: {
      key: 'P1',
      title: '@rekog/mcp-nest on NestJS (guard, throttler)',
      request,
      start: (port, options = {}) => startChild('P1', [...inspectArgs(options), path.join(__dirname, 'p1-server.js')], { ...peerEnv, PORT: String(port) }, path.join(workDir, 'p1.log')),
    },
    P2: {
      key: 'P2',
      title: `fastmcp stateless (authenticate; ${LEGACY_PROTOCOL})`,
      request: legacyRequest,
      start: (port, options = {}) => startChild('P2', [...inspectArgs(options), path.join(__dirname, 'p2-server.js')], { ...peerEnv, PORT: String(port) }, path.join(workDir, 'p2.log')),
    },
    L2: {
      key: 'L2',
      title: 'squad-mcp (production)',
      request,
      start: (port, options = {}) => {
        const logFile = path.join(workDir, `l2-${l2LogFiles.length + 1}.log`);
        l2LogFiles.push(logFile);
        return startChild(
          'L2',
          [...inspectArgs(options), path.join(options.dist ?? DIST, 'main.js')],
          withOverrides(
            {
            NODE_ENV: 'production',
            ...(L2_NODE_OPTIONS === '' ? {} : { NODE_OPTIONS: L2_NODE_OPTIONS }),
            ENVIRONMENT: 'production',
            PORT: String(port),
            HOST: '127.0.0.1',
            LOG_LEVEL: 'info',
            DB_URL: settings.dbUrl,
            DB_POOL_SIZE: String(POOL_MIN),
            DB_POOL_MAX_OVERFLOW: String(POOL_MAX - POOL_MIN),
            API_BASE_URL: `http://127.0.0.1:${apiPort}`,
            REDIS_URL: settings.redisUrl,
            API_KEYS_FILE: keysFile,
            SHUTDOWN_GRACE_SECONDS: '2',
            },
            options.env,
          ),
          logFile,
        );
      },
    },
  };

  try {
    await waitForDemoApi(apiPort, demoApi);
    log();
    if (settings.steps.has('compare')) {
      // L1 first: its saturation sets the fixed rate of every level.
      const l1 = await measureLevel(levels.L1, (saturation) => Math.max(1, Math.round(saturation.callsPerSecond / 2)));
      const half = (): number => l1.fixedRate;
      const l0 = await measureLevel(levels.L0, half);
      const peers = [];
      for (const key of PEERS) {
        peers.push(await measureLevel(levels[key], half));
      }
      const l2 = await measureLevel(levels.L2, half, { ...toolsListRequest(apiKey), accepts: (body) => isToolListSuccess(body) });
      const l2Log = l2LogFiles.at(-1) ?? '';
      log(`  L2 JSON log: ${l2Log} (${fmt(statSync(l2Log).size / 1024 / 1024, 0)} MB)`);
      let soak: SoakResult | undefined;
      if (settings.steps.has('soak')) {
        log(`L2 memory soak: ${settings.soakCalls} calls at ${settings.connections} connections on a fresh, warmed-up instance …`);
        soak = await soakL2(levels.L2, request, () => l2LogFiles.at(-1) ?? '');
      }
      const measured = [l0, l1, ...peers, l2];
      printResults(measured, soak);
      log();
      log(`Server CPU µs/call at saturation (for reference): ${measured.map((level) => `${level.key} ${fmt(level.cpuUsPerCallSaturated, 0)}`).join(', ')}`);
    } else if (settings.steps.has('soak')) {
      const soak = await soakL2(levels.L2, request, () => l2LogFiles.at(-1) ?? '');
      printResults([], soak);
    }
    if (settings.steps.has('sql-tools')) {
      log();
      log(`Every SQL tool on L2, one client, up to ${settings.sqlToolCalls} sequential calls each (scale ${settings.scale}) …`);
      await sqlToolsOnL2(levels.L2, request, apiKey, facts.playerId);
    }
    if (settings.steps.has('cache')) {
      log();
      log('get_player (squad-api behind it) on L2 at saturation, with the result cache and without …');
      await cacheOnL2(levels.L2, toolCallRequest(facts.playerId, apiKey, 'get_player'));
    }
    if (settings.steps.has('profile')) {
      log();
      log('Profiling L0, L1 and L2 at saturation …');
      const profiles = [];
      for (const key of ['L0', 'L1', 'L2'] as const) {
        profiles.push(await profileLevel(levels[key], request));
      }
      printProfiles(profiles);
    }
    if (settings.steps.has('ablate')) {
      log();
      log('L2 with parts turned off by configuration, at saturation …');
      await ablateL2(levels.L2, request);
    }
    log();
    log(`load average after: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  } finally {
    await stopChild(demoApi);
  }
}

async function sqlToolsOnL2(spec: LevelSpec, request: RequestSpec, apiKey: string, playerId: number): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port);
  try {
    await waitReady(child, url, request.body, request.headers);
    const rows = await sqlToolsTable({ url, apiKey, dbUrl: settings.dbUrl, distDir: DIST, calls: settings.sqlToolCalls, log }, playerId);
    log();
    log(sqlToolsMarkdown(rows));
  } finally {
    await stopChild(child);
  }
}

/** A counter's value in a Prometheus text exposition, 0 when absent. */
function counterValue(exposition: string, series: string): number {
  const line = exposition.split('\n').find((text) => text.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** `get_player` at saturation with RESULT_CACHE_TTL_SECONDS as shipped (15) and with the cache off. */
async function cacheOnL2(spec: LevelSpec, request: RequestSpec): Promise<void> {
  const rows: string[][] = [];
  for (const [name, ttl] of [
    ['cache on (RESULT_CACHE_TTL_SECONDS=15)', '15'],
    ['cache off (RESULT_CACHE_TTL_SECONDS=0)', '0'],
  ] as const) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    const child = spec.start(port, { env: { RESULT_CACHE_TTL_SECONDS: ttl } });
    try {
      await waitReady(child, url, request.body, request.headers, '"callsign"');
      const target = { ...request, url, expectField: '"callsign"' };
      await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
      const metricsUrl = `http://127.0.0.1:${port}/metrics`;
      const before = await (await fetch(metricsUrl)).text();
      const cpuBefore = procSample(child.pid);
      const result = await load({ ...target, connections: settings.connections, recordLatency: true });
      const cpu = ((procSample(child.pid).cpuMs - cpuBefore.cpuMs) * 1000) / Math.max(1, result.ok);
      const after = await (await fetch(metricsUrl)).text();
      const delta = (outcome: string): number =>
        counterValue(after, `tool_cache_requests_total{tool_name="get_player",result="${outcome}"}`) -
        counterValue(before, `tool_cache_requests_total{tool_name="get_player",result="${outcome}"}`);
      const [hits, misses] = [delta('hit'), delta('miss')];
      log(`  ${name}: ${describeLoad(result)}; server CPU ${fmt(cpu, 0)} µs/call; cache hits ${hits}, misses ${misses}`);
      const hitRate = hits + misses === 0 ? 'n/a' : `${fmt((100 * hits) / (hits + misses), 1)} %`;
      rows.push([name, fmt(result.callsPerSecond, 0), fmt(cpu, 0), fmt(result.p50, 2), fmt(result.p99, 2), hitRate]);
    } finally {
      await stopChild(child);
    }
  }
  log();
  log(table([['get_player on L2 (saturation)', 'calls/s', 'server CPU µs/call', 'p50 ms', 'p99 ms', 'cache hit rate'], ...rows]));
}

function inspectArgs(options: StartOptions): string[] {
  return options.inspectPort === undefined ? [] : [`--inspect=127.0.0.1:${options.inspectPort}`];
}

/** The base environment with overrides applied; an undefined override removes the variable. */
function withOverrides(base: Record<string, string>, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing one named variable
      delete env[name];
    } else {
      env[name] = value;
    }
  }
  return env;
}

async function waitForDemoApi(port: number, child: Child): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`demo-api exited:\n${tail(child.stderrFile)}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`demo-api not ready:\n${tail(child.stderrFile)}`);
}

process.once('SIGINT', () => {
  stopAll();
  process.exit(130);
});

main()
  .then(() => {
    if (!settings.keepFiles && !settings.steps.has('profile')) {
      rmSync(workDir, { recursive: true, force: true });
    }
  })
  .catch((error: unknown) => {
    stopAll();
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });

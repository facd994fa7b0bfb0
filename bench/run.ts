/**
 * `npm run bench`: the same 2026-07-28 `tools/call` of `get_player_stats` against
 *   L0 a bare node:http server running squad-mcp's SQL through pg,
 *   L1 the MCP SDK's minimal stateless server (createMcpHandler with default options),
 *   L2 squad-mcp as deployed (production mode, auth, Redis rate limit, JSON logs to a file,
 *      metrics, validation),
 * one after another on this machine with one load generator (autocannon), then a memory soak of L2.
 * See bench/README.md. Knobs: BENCH_DURATION, BENCH_SOAK_CALLS and the others in `settings`.
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

import { freePort, isToolSuccess, POOL_MAX, POOL_MIN, procSample, toolCallRequest } from './common';
import { loadPlayerStatsQuery } from './player-stats-query';
import { type CpuProfile, profileDuring, type ProfileSummary, summarizeProfile } from './profile';

type LevelKey = 'L0' | 'L1' | 'L2';

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
  duration: envNumber('BENCH_DURATION', 12),
  /** Seconds of load before measuring, so every server is JIT-warm. */
  warmup: envNumber('BENCH_WARMUP', 3),
  /** Connections of the saturation runs and the soak. */
  connections: envNumber('BENCH_CONNECTIONS', 32),
  /** Connections of the fixed-rate runs. */
  rateConnections: envNumber('BENCH_RATE_CONNECTIONS', 10),
  soakCalls: envNumber('BENCH_SOAK_CALLS', 200_000),
  /** 1: profile L2 (CPU, by layer) during an extra saturation run. */
  profile: process.env.BENCH_PROFILE === '1',
  keepFiles: process.env.BENCH_KEEP === '1',
};

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

/** Waits until the child answers the benchmark request correctly; returns that first answer. */
async function waitReady(child: Child, url: string, body: string, headers: Record<string, string>, timeoutMs = 90_000): Promise<Probe> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${tail(child.stderrFile)}`);
    }
    try {
      const probe = await post(url, body, headers);
      if (probe.status === 200 && isToolSuccess(probe.body)) {
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
        verifyBody: (body) => body !== undefined && isToolSuccess(body.toString()),
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

interface LevelSpec {
  readonly key: LevelKey;
  readonly title: string;
  readonly start: (port: number, inspectPort?: number) => Child;
}

interface LevelResult {
  readonly key: LevelKey;
  readonly title: string;
  readonly probe: Probe;
  readonly saturation: LoadResult;
  readonly fixedRate: number;
  readonly fixed: LoadResult;
  /** Server CPU time per call during the fixed-rate run, in µs. */
  readonly cpuUsPerCall: number;
  /** Server CPU time per call during the saturation run, in µs. */
  readonly cpuUsPerCallSaturated: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
}

interface RequestSpec {
  readonly body: string;
  readonly headers: Record<string, string>;
}

function describeLoad(result: LoadResult): string {
  const problems = result.errors + result.non2xx + result.mismatches;
  return (
    `${result.ok} ok in ${result.seconds.toFixed(1)} s = ${result.callsPerSecond.toFixed(0)} calls/s, ` +
    `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
    `errors ${problems} (connection ${result.errors}, non-2xx ${result.non2xx}, bad body ${result.mismatches}), ` +
    `generator CPU ${((result.generatorCpuMs / (result.seconds * 1000)) * 100).toFixed(0)} % of a core`
  );
}

async function measureLevel(spec: LevelSpec, request: RequestSpec, fixedRate: (saturation: LoadResult) => number): Promise<LevelResult> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port);
  try {
    const probe = await waitReady(child, url, request.body, request.headers);
    log(`${spec.key} ${spec.title} (pid ${child.pid}, port ${port}) answers ${probe.status} ${probe.contentType}:`);
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
    return {
      key: spec.key,
      title: spec.title,
      probe,
      saturation,
      fixedRate: rate,
      fixed,
      cpuUsPerCall: ((after.cpuMs - fixedBefore.cpuMs) * 1000) / Math.max(1, fixed.ok),
      cpuUsPerCallSaturated: ((afterSaturation.cpuMs - before.cpuMs) * 1000) / Math.max(1, saturation.ok),
      rssBeforeMb: before.rssMb,
      rssAfterMb: after.rssMb,
    };
  } finally {
    await stopChild(child);
  }
}

interface SoakResult {
  readonly calls: number;
  readonly load: LoadResult;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  readonly rssAfterMb: number;
  readonly logBytes: number;
}

async function soakL2(spec: LevelSpec, request: RequestSpec, logFile: string): Promise<SoakResult> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port);
  try {
    await waitReady(child, url, request.body, request.headers);
    const target = { ...request, url };
    await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
    await sleep(1000);
    const before = procSample(child.pid);
    let peak = before.rssMb;
    const sampler = setInterval(() => {
      peak = Math.max(peak, procSample(child.pid).rssMb);
    }, 500);
    let result: LoadResult;
    try {
      result = await load({ ...target, connections: settings.connections, amount: settings.soakCalls, recordLatency: false });
    } finally {
      clearInterval(sampler);
    }
    await sleep(1000);
    const after = procSample(child.pid);
    return {
      calls: settings.soakCalls,
      load: result,
      rssBeforeMb: before.rssMb,
      rssPeakMb: Math.max(peak, after.rssMb),
      rssAfterMb: after.rssMb,
      logBytes: statSync(logFile).size,
    };
  } finally {
    await stopChild(child);
  }
}

async function profileL2(spec: LevelSpec, request: RequestSpec): Promise<{ summary: ProfileSummary; calls: number; file: string }> {
  const port = await freePort();
  const inspectPort = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spec.start(port, inspectPort);
  try {
    await waitReady(child, url, request.body, request.headers);
    const target = { ...request, url };
    await load({ ...target, connections: settings.connections, duration: settings.warmup, recordLatency: false });
    const { result, profile } = await profileDuring(inspectPort, () =>
      load({ ...target, connections: settings.connections, recordLatency: false }),
    );
    log(`  profiled saturation run: ${describeLoad(result)}`);
    const file = path.join(workDir, 'l2-saturation.cpuprofile');
    writeFileSync(file, JSON.stringify(profile satisfies CpuProfile));
    return { summary: summarizeProfile(profile, ROOT), calls: result.ok, file };
  } finally {
    await stopChild(child);
  }
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

function printResults(results: readonly LevelResult[], soak: SoakResult | undefined): void {
  const byKey = new Map(results.map((result) => [result.key, result]));
  const rate = byKey.get('L1')?.fixedRate ?? NaN;
  log();
  log(`## Results (fixed rate = ${rate} calls/s = half of L1's saturation)`);
  log();
  log(
    table([
      ['level', 'calls/s at saturation', `p50 ms @${rate}/s`, `p99 ms @${rate}/s`, 'CPU µs/call', 'RSS before → after MB', 'errors'],
      ...['L0', 'L1', 'L2'].flatMap((key) => {
        const result = byKey.get(key as LevelKey);
        if (result === undefined) {
          return [];
        }
        const errors = [result.saturation, result.fixed].reduce((sum, run) => sum + run.errors + run.non2xx + run.mismatches, 0);
        return [
          [
            `${result.key} ${result.title}`,
            fmt(result.saturation.callsPerSecond, 0),
            fmt(result.fixed.p50, 2),
            fmt(result.fixed.p99, 2),
            fmt(result.cpuUsPerCall, 0),
            `${fmt(result.rssBeforeMb, 1)} → ${fmt(result.rssAfterMb, 1)}`,
            String(errors),
          ],
        ];
      }),
    ]),
  );
  const [l0, l1, l2] = [byKey.get('L0'), byKey.get('L1'), byKey.get('L2')];
  if (l0 !== undefined && l1 !== undefined && l2 !== undefined) {
    log();
    log(
      table([
        ['ratio', 'throughput', 'p99 @ fixed rate', 'CPU/call'],
        ['L2/L1', fmt(l2.saturation.callsPerSecond / l1.saturation.callsPerSecond, 2), fmt(l2.fixed.p99 / l1.fixed.p99, 2), fmt(l2.cpuUsPerCall / l1.cpuUsPerCall, 2)],
        ['L2/L0', fmt(l2.saturation.callsPerSecond / l0.saturation.callsPerSecond, 2), fmt(l2.fixed.p99 / l0.fixed.p99, 2), fmt(l2.cpuUsPerCall / l0.cpuUsPerCall, 2)],
        ['L1/L0', fmt(l1.saturation.callsPerSecond / l0.saturation.callsPerSecond, 2), fmt(l1.fixed.p99 / l0.fixed.p99, 2), fmt(l1.cpuUsPerCall / l0.cpuUsPerCall, 2)],
      ]),
    );
    log();
    log('Targets of issue 8 for L2:');
    const throughputOk = l2.saturation.callsPerSecond >= l1.saturation.callsPerSecond;
    log(
      `  throughput ≥ L1: ${fmt(l2.saturation.callsPerSecond, 0)} vs ${fmt(l1.saturation.callsPerSecond, 0)} calls/s → ${throughputOk ? 'met' : 'MISSED'}`,
    );
    const p99Gap = l2.fixed.p99 - l1.fixed.p99;
    log(`  p99 @${rate}/s within 2 ms of L1: ${fmt(l2.fixed.p99, 2)} vs ${fmt(l1.fixed.p99, 2)} ms (${p99Gap >= 0 ? '+' : ''}${fmt(p99Gap, 2)} ms) → ${p99Gap <= 2 ? 'met' : 'MISSED'}`);
  }
  if (soak !== undefined) {
    const growth = soak.rssAfterMb - soak.rssBeforeMb;
    log(
      `  RSS growth over ${soak.calls} calls < 50 MB: ${fmt(soak.rssBeforeMb, 1)} → ${fmt(soak.rssAfterMb, 1)} MB (peak ${fmt(soak.rssPeakMb, 1)}) = ${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MB → ${growth < 50 ? 'met' : 'MISSED'}`,
    );
    log(`  soak run: ${describeLoad(soak.load)}; JSON log file ${(soak.logBytes / 1024 / 1024).toFixed(0)} MB (${fmt(soak.logBytes / Math.max(1, soak.load.ok), 0)} bytes/call)`);
  }
}

function printProfile(summary: ProfileSummary, calls: number, file: string): void {
  log();
  log(`## L2 CPU profile of one saturation run (${calls} calls, ${fmt(summary.totalMs, 0)} ms of main-thread CPU sampled; ${file})`);
  log();
  log(
    table([
      ['layer', 'self ms', 'self µs/call', 'with Node core/builtins it called, ms', 'µs/call', 'share'],
      ...summary.layers.map((layer) => [
        layer.layer,
        fmt(layer.selfMs, 0),
        fmt((layer.selfMs * 1000) / calls, 1),
        fmt(layer.chargedMs, 0),
        fmt((layer.chargedMs * 1000) / calls, 1),
        `${fmt((layer.chargedMs / summary.totalMs) * 100, 1)} %`,
      ]),
    ]),
  );
  log();
  log('Top functions by self time:');
  log(table([['function', 'layer', 'self ms'], ...summary.hot.map((fn) => [fn.name, fn.layer, fmt(fn.selfMs, 0)])]));
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
  const l2LogFiles: string[] = [];
  const levels: Record<LevelKey, LevelSpec> = {
    L0: {
      key: 'L0',
      title: 'bare node:http + pg',
      start: (port) => startChild('L0', [path.join(__dirname, 'l0-server.js')], { ...serverEnv, PORT: String(port) }, path.join(workDir, 'l0.log')),
    },
    L1: {
      key: 'L1',
      title: 'SDK createMcpHandler (defaults)',
      start: (port) => startChild('L1', [path.join(__dirname, 'l1-server.js')], { ...serverEnv, PORT: String(port) }, path.join(workDir, 'l1.log')),
    },
    L2: {
      key: 'L2',
      title: 'squad-mcp (production)',
      start: (port, inspectPort) => {
        const logFile = path.join(workDir, `l2-${l2LogFiles.length + 1}.log`);
        l2LogFiles.push(logFile);
        const inspect = inspectPort === undefined ? [] : [`--inspect=127.0.0.1:${inspectPort}`];
        return startChild(
          'L2',
          [...inspect, path.join(DIST, 'main.js')],
          {
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
          logFile,
        );
      },
    },
  };

  try {
    await waitForDemoApi(apiPort, demoApi);
    log();
    // L1 first: its saturation sets the fixed rate of every level.
    const l1 = await measureLevel(levels.L1, request, (saturation) => Math.max(1, Math.round(saturation.callsPerSecond / 2)));
    const half = (): number => l1.fixedRate;
    const l0 = await measureLevel(levels.L0, request, half);
    const l2 = await measureLevel(levels.L2, request, half);
    log(`  L2 JSON log: ${l2LogFiles[0] ?? '?'} (${(statSync(l2LogFiles[0] ?? '').size / 1024 / 1024).toFixed(0)} MB)`);
    log(`L2 memory soak: ${settings.soakCalls} calls at ${settings.connections} connections on a fresh, warmed-up instance …`);
    const soak = await soakL2(levels.L2, request, l2LogFiles.at(-1) ?? '');
    printResults([l0, l1, l2], soak);
    log();
    log(
      `Server CPU µs/call at saturation (for reference): L0 ${fmt(l0.cpuUsPerCallSaturated, 0)}, L1 ${fmt(l1.cpuUsPerCallSaturated, 0)}, L2 ${fmt(l2.cpuUsPerCallSaturated, 0)}`,
    );
    log(`load average after: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    if (settings.profile) {
      log();
      log('Profiling L2 (BENCH_PROFILE=1) …');
      const { summary, calls, file } = await profileL2(levels.L2, request);
      printProfile(summary, calls, file);
    }
  } finally {
    await stopChild(demoApi);
  }
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
    if (!settings.keepFiles && !settings.profile) {
      rmSync(workDir, { recursive: true, force: true });
    }
  })
  .catch((error: unknown) => {
    stopAll();
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });

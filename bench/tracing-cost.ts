/**
 * `node node_modules/.cache/squad-bench/tracing-cost.js` (after `npm run bench` built it): the CPU
 * that tracing adds to one tool call, measured in one process without load generator, server or
 * database, so the figure holds on a busy machine. Each call opens the spans a traced REST call of
 * a SQL tool opens (HTTP server span, tool span, one SQL span) through squad-mcp's own span sites
 * from dist/, and the batch processor exports them as OTLP/HTTP JSON to a sink in this process.
 */
import 'reflect-metadata';

import { createRequire } from 'node:module';
import path from 'node:path';

import { startOtlpSink } from './otlp-sink';

interface SpanLike {
  setAttribute(key: string, value: number): void;
  end(): void;
}
interface TracingLike {
  readonly enabled: boolean;
  start(start: { name: string; kind: number; attributes: Record<string, string> }): SpanLike;
  within<T>(span: SpanLike, fn: () => T): T;
  stop(): Promise<void>;
}
type Outcome = { ok: true; output: object; json: string; freshForMs: undefined };

const requireDist = createRequire(path.join(process.cwd(), 'dist', 'main.js'));
const { loadConfig } = requireDist('./config/load-config') as { loadConfig(env: Record<string, string>): { tracing: unknown } };
const { startTracing } = requireDist('./observability/tracing/tracer-provider') as { startTracing(config: unknown): TracingLike };
const { Tracing } = requireDist('./observability/tracing/tracing') as { Tracing: { off: TracingLike } };
const { McpSpans } = requireDist('./observability/tracing/mcp-spans') as {
  McpSpans: new (tracing: TracingLike) => { restToolCall(name: string, call: () => Promise<Outcome>): Promise<Outcome> };
};
const { SqlSpans } = requireDist('./observability/tracing/sql-spans') as {
  SqlSpans: new (tracing: TracingLike) => { run<T>(name: string, statement: () => Promise<T>): Promise<T> };
};

const CALLS = Number(process.env.BENCH_TRACING_CALLS ?? 20_000);

async function oneCall(tracing: TracingLike, mcp: InstanceType<typeof McpSpans>, sql: InstanceType<typeof SqlSpans>): Promise<void> {
  const call = (): Promise<Outcome> =>
    mcp.restToolCall('get_player_stats', async () => {
      await sql.run('player_stats', () => Promise.resolve([]));
      return { ok: true, output: {}, json: '{}', freshForMs: undefined };
    });
  if (!tracing.enabled) {
    await call();
    return;
  }
  const http = tracing.start({ name: 'POST', kind: 1, attributes: { 'http.request.method': 'POST', 'url.path': '/v1/mcp/get_player_stats', 'url.scheme': 'http' } });
  await tracing.within(http, call);
  http.setAttribute('http.response.status_code', 200);
  http.end();
}

async function cpuPerCall(tracing: TracingLike): Promise<number> {
  const mcp = new McpSpans(tracing);
  const sql = new SqlSpans(tracing);
  for (let call = 0; call < 2_000; call += 1) {
    await oneCall(tracing, mcp, sql);
    if (call % 20 === 0) {
      await new Promise(setImmediate);
    }
  }
  const before = process.cpuUsage();
  for (let call = 0; call < CALLS; call += 1) {
    await oneCall(tracing, mcp, sql);
    // Let timers and sockets run now and then, as a server's event loop does, so the batch
    // processor exports instead of dropping what overflows its queue.
    if (call % 20 === 0) {
      await new Promise(setImmediate);
    }
  }
  // The export of the last batches belongs to these calls too.
  await tracing.stop();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

async function main(): Promise<void> {
  const sink = await startOtlpSink();
  const off = await cpuPerCall(Tracing.off);
  const on = await cpuPerCall(startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }).tracing));
  await sink.close();
  console.log(`${CALLS} calls each: tracing off ${off.toFixed(1)} µs/call, tracing on ${on.toFixed(1)} µs/call (+${(on - off).toFixed(1)})`);
  console.log(`the sink received ${sink.received.exports} exports, ${(sink.received.bytes / (CALLS + 2_000)).toFixed(0)} bytes/call`);
}

void main();

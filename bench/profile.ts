/**
 * CPU profiling of a running child over the inspector protocol (the child starts with
 * `--inspect=127.0.0.1:<port>`), so the profile covers exactly one load run, and a summary of the
 * profile by layer of the stack (Nest, Express, rate limiting, logging, metrics, validation,
 * MCP SDK, pg, Node core).
 */
import path from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface InspectorTarget {
  readonly webSocketDebuggerUrl: string;
}

interface InspectorReply {
  readonly id?: number;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}

/** A minimal Chrome DevTools Protocol session over Node's global WebSocket. */
class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event: MessageEvent) => {
      const reply = JSON.parse(String(event.data)) as InspectorReply;
      const waiter = reply.id === undefined ? undefined : this.pending.get(reply.id);
      if (waiter === undefined || reply.id === undefined) {
        return;
      }
      this.pending.delete(reply.id);
      if (reply.error === undefined) {
        waiter.resolve(reply.result);
      } else {
        waiter.reject(new Error(reply.error.message));
      }
    });
  }

  static async open(inspectPort: number): Promise<InspectorSession> {
    const response = await fetch(`http://127.0.0.1:${inspectPort}/json/list`);
    const [target] = (await response.json()) as InspectorTarget[];
    if (target === undefined) {
      throw new Error('the inspector lists no target');
    }
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => {
        resolve();
      });
      socket.addEventListener('error', () => {
        reject(new Error('cannot connect to the inspector'));
      });
    });
    return new InspectorSession(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Profiles the child listening for the inspector on `inspectPort` while `during` runs. */
export async function profileDuring<T>(inspectPort: number, during: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = await InspectorSession.open(inspectPort);
  try {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 500 });
    await session.send('Profiler.start');
    const result = await during();
    const { profile } = (await session.send('Profiler.stop')) as { profile: CpuProfile };
    return { result, profile };
  } finally {
    session.close();
  }
}

export interface HeapSample {
  /** Live JS heap after a full garbage collection, in MiB. */
  readonly heapUsedMb: number;
  /** V8 heap reserved (used or not), in MiB. */
  readonly heapTotalMb: number;
  /** Memory outside the V8 heap held by JS objects (Buffers included), in MiB. */
  readonly externalMb: number;
  readonly rssMb: number;
}

/** Forces a full garbage collection in the child and reads its memory. */
export async function heapAfterGc(inspectPort: number): Promise<HeapSample> {
  const session = await InspectorSession.open(inspectPort);
  try {
    await session.send('HeapProfiler.collectGarbage');
    const reply = (await session.send('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    const usage = JSON.parse(reply.result.value) as { heapUsed: number; heapTotal: number; external: number; rss: number };
    const mb = (bytes: number): number => bytes / 1024 / 1024;
    return { heapUsedMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal), externalMb: mb(usage.external), rssMb: mb(usage.rss) };
  } finally {
    session.close();
  }
}

/** Where a frame's code lives, as a layer of the stack. */
const PACKAGE_LAYERS: readonly (readonly [string, readonly string[]])[] = [
  ['Nest core (routing, guards, pipes, rxjs)', ['@nestjs/core', '@nestjs/common', '@nestjs/platform-express', 'rxjs', 'reflect-metadata', '@nestjs/swagger', '@nestjs/terminus']],
  ['Express (router, body-parser)', ['express', 'router', 'body-parser', 'raw-body', 'iconv-lite', 'on-finished', 'finalhandler', 'path-to-regexp', 'content-type', 'type-is', 'media-typer', 'mime-types', 'qs', 'depd', 'debug', 'parseurl', 'encodeurl', 'http-errors', 'statuses', 'vary', 'accepts', 'negotiator', 'ee-first', 'unpipe', 'bytes', 'side-channel', 'merge-descriptors', 'cookie', 'fresh', 'proxy-addr', 'forwarded', 'range-parser', 'etag', 'send', 'serve-static']],
  ['Rate limit (@nestjs/throttler + ioredis)', ['@nestjs/throttler', 'ioredis', 'redis-parser', 'redis-errors', 'denque', 'cluster-key-slot', 'standard-as-callback', '@ioredis/commands', 'lodash.defaults', 'lodash.isarguments']],
  ['Logging (pino, nestjs-pino, pino-http)', ['pino', 'nestjs-pino', 'pino-http', 'sonic-boom', 'fast-redact', '@pinojs/redact', 'pino-std-serializers', 'quick-format-unescaped', 'safe-stable-stringify', 'thread-stream', 'atomic-sleep', 'on-exit-leak-free', 'fast-safe-stringify', 'get-caller-file']],
  ['Metrics (prom-client)', ['prom-client', '@willsoto/nestjs-prometheus', 'tdigest', 'bintrees']],
  ['Validation (class-validator, class-transformer)', ['class-validator', 'class-transformer', 'validator', 'libphonenumber-js']],
  ['MCP SDK (+ zod, ajv)', ['@modelcontextprotocol/server', '@modelcontextprotocol/node', '@modelcontextprotocol/express', '@modelcontextprotocol/core', 'zod', 'ajv', 'ajv-formats', 'fast-deep-equal', 'fast-uri', 'json-schema-traverse', '@hono/node-server']],
  ['pg driver', ['pg', 'pg-pool', 'pg-protocol', 'pg-types', 'pg-connection-string', 'pgpass', 'postgres-array', 'postgres-bytea', 'postgres-date', 'postgres-interval', 'pg-int8', 'split2']],
  ['Security headers (helmet)', ['helmet']],
  ['Upstream client (axios, axios-retry)', ['axios', 'axios-retry', 'is-retry-allowed']],
];

const NODE_CORE = 'Node core (http, net, streams, timers)';
const NATIVE = 'V8 builtins / native (JSON, RegExp, …)';
const APP = "squad-mcp's own code (dist/)";
const BENCH = 'bench server code';
const GC = 'garbage collector';
const PROGRAM = '(program: native, unattributed)';
const IDLE = '(idle)';

function packageOf(url: string): string | undefined {
  const marker = '/node_modules/';
  const at = url.lastIndexOf(marker);
  if (at === -1) {
    return undefined;
  }
  const [first, second] = url.slice(at + marker.length).split('/');
  return first?.startsWith('@') === true ? `${first}/${second ?? ''}` : first;
}

export function layerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') {
    return GC;
  }
  if (functionName === '(program)') {
    return PROGRAM;
  }
  if (functionName === '(idle)') {
    return IDLE;
  }
  if (url.includes('/squad-bench/')) {
    return BENCH;
  }
  const pkg = packageOf(url);
  if (pkg !== undefined) {
    return PACKAGE_LAYERS.find(([, packages]) => packages.includes(pkg))?.[0] ?? `other package: ${pkg}`;
  }
  if (url.startsWith('node:')) {
    return NODE_CORE;
  }
  if (url.includes('/dist/')) {
    return APP;
  }
  return url === '' ? NATIVE : `other: ${url}`;
}

/** Layers that only do work on behalf of a caller: their time is charged to the nearest caller. */
const DELEGATED = new Set([NODE_CORE, NATIVE]);

export interface LayerCost {
  readonly layer: string;
  /** Self time, in ms: samples whose leaf frame is in this layer. */
  readonly selfMs: number;
  /** Self time plus the Node core and builtin time this layer called into, in ms. */
  readonly chargedMs: number;
}

export interface HotFunction {
  readonly name: string;
  readonly layer: string;
  readonly selfMs: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly layers: readonly LayerCost[];
  readonly hot: readonly HotFunction[];
}

/** Self time per layer, the same with Node core/builtin time charged to its nearest caller, and the hottest functions. */
export function summarizeProfile(profile: CpuProfile, root: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parentOf.set(child, node.id);
    }
  }
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time since the previous sample; the next delta is this sample's duration.
    const duration = profile.timeDeltas[index + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration);
  });

  const self = new Map<string, number>();
  const charged = new Map<string, number>();
  const functions = new Map<string, HotFunction>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) {
      continue;
    }
    const layer = layerOf(node.callFrame);
    if (layer === IDLE) {
      continue;
    }
    totalUs += us;
    self.set(layer, (self.get(layer) ?? 0) + us);
    let chargedTo = layer;
    for (let up = parentOf.get(id); DELEGATED.has(chargedTo) && up !== undefined; up = parentOf.get(up)) {
      const caller = byId.get(up);
      const callerLayer = caller === undefined ? undefined : layerOf(caller.callFrame);
      if (callerLayer !== undefined && !DELEGATED.has(callerLayer) && callerLayer !== PROGRAM) {
        chargedTo = callerLayer;
      }
    }
    charged.set(chargedTo, (charged.get(chargedTo) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '' : ` ${path.relative(root, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}`;
    const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    const previous = functions.get(name);
    functions.set(name, { name, layer, selfMs: (previous?.selfMs ?? 0) + us / 1000 });
  }
  const layers = [...new Set([...self.keys(), ...charged.keys()])]
    .map((layer) => ({ layer, selfMs: (self.get(layer) ?? 0) / 1000, chargedMs: (charged.get(layer) ?? 0) / 1000 }))
    .sort((a, b) => b.chargedMs - a.chargedMs || b.selfMs - a.selfMs);
  const hot = [...functions.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, 25);
  return { totalMs: totalUs / 1000, layers, hot };
}

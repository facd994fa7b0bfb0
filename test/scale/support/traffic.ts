import { Agent, request } from 'node:http';

/** One call as the client saw it. */
export interface CallRecord {
  readonly phase: string;
  readonly kind: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly ok: boolean;
  /** The failure: the SPEC error code, `http_<status>` for an answer without one, or `network`. */
  readonly code?: string;
  readonly httpStatus?: number;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const random = (max: number): number => 1 + Math.floor(Math.random() * max);

function post(agent: Agent, url: string, path: string, headers: Record<string, string>, body: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method: 'POST', agent, timeout: 30_000, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function json(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

type Outcome = { ok: true } | { ok: false; code: string };

/** A REST mirror's answer: 200 with the expected content, or the SPEC §5 body's code. */
function restOutcome(answer: Answer, expected: (body: Record<string, unknown>) => boolean): Outcome {
  const body = json(answer.body);
  if (answer.status === 200 && body !== undefined && expected(body)) {
    return { ok: true };
  }
  return { ok: false, code: typeof body?.code === 'string' ? body.code : answer.status === 200 ? 'unexpected_result' : `http_${answer.status}` };
}

/** An MCP tools/call answer (JSON or one server-sent event): a result with structured content, or the error's code. */
function mcpOutcome(answer: Answer, expected: (structured: Record<string, unknown>) => boolean): Outcome {
  const text = answer.contentType.includes('text/event-stream') ? (/^data: (.*)$/m.exec(answer.body)?.[1] ?? '') : answer.body;
  const message = json(text);
  if (answer.status !== 200 || message === undefined) {
    return { ok: false, code: typeof message?.code === 'string' ? message.code : `http_${answer.status}` };
  }
  const result = message.result as { isError?: boolean; structuredContent?: Record<string, unknown>; content?: { text: string }[] } | undefined;
  if (result === undefined) {
    return { ok: false, code: `jsonrpc_${String((message.error as { code?: number } | undefined)?.code)}` };
  }
  if (result.isError === true) {
    const body = json(result.content?.[0]?.text ?? '');
    return { ok: false, code: typeof body?.code === 'string' ? body.code : 'tool_error' };
  }
  return result.structuredContent !== undefined && expected(result.structuredContent) ? { ok: true } : { ok: false, code: 'unexpected_result' };
}

const LEGACY = '2025-11-25';
const MODERN = '2026-07-28';
const MODERN_META = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

interface Kind {
  readonly name: string;
  call(agent: Agent, url: string, key: string): Promise<Outcome>;
}

type Args = Record<string, unknown>;
type Expected = (answer: Record<string, unknown>, args: Args) => boolean;

function rest(tool: string, makeArgs: () => Args, expected: Expected): Kind {
  return {
    name: `REST ${tool}`,
    call: async (agent, url, key) => {
      const args = makeArgs();
      return restOutcome(await post(agent, url, `/v1/mcp/${tool}`, { Authorization: `Bearer ${key}` }, args), (body) => expected(body, args));
    },
  };
}

function mcp(era: 'legacy' | 'modern', tool: string, makeArgs: () => Args, expected: Expected): Kind {
  return {
    name: `MCP ${era === 'legacy' ? LEGACY : MODERN} ${tool}`,
    call: async (agent, url, key) => {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${key}`,
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': era === 'legacy' ? LEGACY : MODERN,
        ...(era === 'modern' ? { 'Mcp-Method': 'tools/call', 'Mcp-Name': tool } : {}),
      };
      const args = makeArgs();
      const params = { name: tool, arguments: args, ...(era === 'modern' ? { _meta: MODERN_META } : {}) };
      return mcpOutcome(await post(agent, url, '/mcp', headers, { jsonrpc: '2.0', id: 1, method: 'tools/call', params }), (body) => expected(body, args));
    },
  };
}

const isPage = (body: Record<string, unknown>): boolean => Array.isArray(body.items) && typeof body.total_count === 'number';

/**
 * The mix: both MCP eras and the REST mirrors, tools answered by squad-api (through the demo one)
 * and tools answered by SQL (through PgBouncer), with ids spread over the demo world.
 */
const MIX: readonly Kind[] = [
  rest('get_player', () => ({ player_id: random(600) }), (body, args) => body.id === args.player_id),
  rest('search_players', () => ({ limit: 5, offset: random(50) }), isPage),
  mcp('legacy', 'get_squad', () => ({ squad_id: random(40) }), (body, args) => body.id === args.squad_id),
  mcp('legacy', 'get_player_stats', () => ({ player_id: random(600) }), (body, args) => body.player_id === args.player_id),
  mcp('modern', 'list_recent_matches', () => ({ limit: 5, offset: random(100) }), isPage),
  mcp('modern', 'get_event', () => ({ event_id: random(300) }), (body, args) => body.id === args.event_id),
  rest('get_squad_record', () => ({ squad_id: random(40) }), (body, args) => body.squad_id === args.squad_id),
  mcp('modern', 'get_leaderboard', () => ({ metric: 'eliminations', limit: 5 }), isPage),
];

/**
 * An open-loop client: it starts calls at a fixed rate whatever the answers' latency, as many
 * independent callers would, and labels each with the phase current when it started.
 */
export class Traffic {
  readonly records: CallRecord[] = [];
  phase = 'cold';
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly perSecond: number,
  ) {}

  get callsInFlight(): number {
    return this.inFlight;
  }

  start(): void {
    const begun = performance.now();
    let sent = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - begun) / 1000) * this.perSecond);
      for (; sent < due; sent += 1) {
        this.launch(MIX[sent % MIX.length]!);
      }
    }, 5);
  }

  private launch(kind: Kind): void {
    const phase = this.phase;
    const startedAt = Date.now();
    this.inFlight += 1;
    const call = kind
      .call(this.agent, this.url, this.key)
      .catch((): Outcome => ({ ok: false, code: 'network' }))
      .then((outcome) => {
        this.inFlight -= 1;
        this.records.push({ phase, kind: kind.name, startedAt, endedAt: Date.now(), ...outcome });
      });
    this.pending.add(call);
    void call.finally(() => this.pending.delete(call));
  }

  /** Stops starting calls and waits for those in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
    this.agent.destroy();
  }
}

/** One caller with a small per-minute limit, calling one at a time, never more than `perSecond`. */
export class LimitedCaller {
  readonly records: CallRecord[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly perSecond: number,
  ) {}

  start(durationMs: number): Promise<void> {
    this.running = true;
    const until = Date.now() + durationMs;
    this.loop = (async () => {
      while (this.running && Date.now() < until) {
        const startedAt = Date.now();
        const answer = await post(this.agent, this.url, '/v1/mcp/get_squad_record', { Authorization: `Bearer ${this.key}` }, { squad_id: random(40) }).catch(() => undefined);
        const endedAt = Date.now();
        const refused = answer?.status === 429;
        const outcome = answer === undefined ? { ok: false, code: 'network' } : refused ? { ok: false, code: 'rate_limited' } : restOutcome(answer, (body) => typeof body.wins === 'number');
        this.records.push({ phase: '20/min key', kind: 'REST get_squad_record', startedAt, endedAt, httpStatus: answer?.status, ...outcome });
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + 1000 / this.perSecond - Date.now())));
      }
    })();
    return this.loop;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.agent.destroy();
  }
}

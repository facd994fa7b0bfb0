import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

import request from 'supertest';

import { e2eDatabaseUrl, SERVICE_KEY } from './support/test-app';

const SLOW_MS = 800;

/** A squad-api stand-in that answers every player lookup after a pause. */
async function slowSquadApi(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    setTimeout(() => {
      res.setHeader('Content-Type', 'application/json');
      const id = Number(/\d+$/.exec(req.url ?? '')?.[0] ?? 1);
      res.end(
        JSON.stringify({
          id,
          callsign: 'Slowpoke',
          display_name: 'Slow Poke',
          email: 'slow@example.test',
          region: 'Nowhere',
          home_field_id: null,
          position: 'back',
          skill_rating: 1000,
          created_at: '2025-01-01T00:00:00.000Z',
        }),
      );
    }, SLOW_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('graceful shutdown', () => {
  let child: ChildProcess;
  let upstream: { url: string; server: Server };
  const output: string[] = [];

  afterAll(() => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
    upstream.server.closeAllConnections();
    upstream.server.close();
  });

  it('finishes calls in flight after SIGTERM, refuses new connections, and exits 0', async () => {
    upstream = await slowSquadApi();
    child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
      cwd: join(__dirname, 'support'),
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        DB_URL: e2eDatabaseUrl(),
        API_BASE_URL: upstream.url,
        API_KEY_PRIMARY: SERVICE_KEY,
        SHUTDOWN_GRACE_SECONDS: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const match = /listening on (http:\/\/[a-z0-9.]+:\d+)/.exec(output.join(''));
        if (match !== null) {
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
    });

    const inFlight = request(url).post('/v1/mcp/get_player').set('Authorization', `Bearer ${SERVICE_KEY}`).send({ player_id: 7 });
    const answer = inFlight.then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sentAt = Date.now();
    child.kill('SIGTERM');
    // The listener closes in the same tick as this log line; waiting for it keeps the test free of timing guesses.
    while (!output.join('').includes('SIGTERM received')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    await expect(request(url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 7, callsign: 'Slowpoke' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(5000);
    const log = output.join('');
    expect(log).toContain('SIGTERM received');
    expect(log).toContain('Shut down');
    expect(log).not.toContain('cut off');
  });
});

/** Starts the built server as operators do, and resolves its URL once it listens. */
async function startServer(env: Record<string, string>, output: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    cwd: join(__dirname, 'support'),
    env: { PATH: process.env.PATH, PORT: '0', DB_URL: e2eDatabaseUrl(), API_KEY_PRIMARY: SERVICE_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/[a-z0-9.]+:\d+)/.exec(output.join(''));
      if (match !== null) {
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
  });
  return { child, url };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
  socket: Socket;
}

/** One request through a given agent, so the test controls which connection carries it. */
function send(url: string, agent: Agent, method: 'GET' | 'POST', path: string, body?: object, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, url),
      { method, agent, headers: { Authorization: `Bearer ${SERVICE_KEY}`, 'Content-Type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), reusedSocket: req.reusedSocket, socket: req.socket! }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const waitFor = async (condition: () => boolean): Promise<void> => {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('draining keep-alive clients', () => {
  let upstream: { url: string; server: Server };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    upstream = await slowSquadApi();
  });

  afterAll(() => {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
    upstream.server.closeAllConnections();
    upstream.server.close();
  });

  it('closes idle keep-alive connections, answers with Connection: close, and serves no new calls on old connections', async () => {
    const output: string[] = [];
    const { child, url } = await startServer({ API_BASE_URL: upstream.url, SHUTDOWN_GRACE_SECONDS: '5' }, output);
    children.push(child);
    const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(url, idleAgent, 'GET', '/health/live')).status).toBe(200);
      const idleSockets = Object.values(idleAgent.freeSockets).flat();
      expect(idleSockets).toHaveLength(1);
      let idleClosed = false;
      idleSockets[0]!.once('close', () => {
        idleClosed = true;
      });
      expect((await send(url, busyAgent, 'GET', '/health/live')).headers.connection).toBe('keep-alive');
      const inFlight = send(url, busyAgent, 'POST', '/v1/mcp/get_player', { player_id: 7 });
      await new Promise((resolve) => setTimeout(resolve, 200));

      child.kill('SIGTERM');
      await waitFor(() => output.join('').includes('SIGTERM received'));
      await waitFor(() => idleClosed);

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.reusedSocket).toBe(true);
      expect(answer.headers.connection).toBe('close');
      // The connection was closed with that answer, so the next call needs a new one, which is refused.
      await expect(send(url, busyAgent, 'GET', '/health/ready')).rejects.toThrow(/ECONNREFUSED/);
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output.join('')).not.toContain(SERVICE_KEY);
    } finally {
      idleAgent.destroy();
      busyAgent.destroy();
    }
  });

  it('keeps accepting new connections through the announce pause, answering readiness 503 and calls with Connection: close', async () => {
    const output: string[] = [];
    const { child, url } = await startServer({ API_BASE_URL: upstream.url, SHUTDOWN_GRACE_SECONDS: '5', SHUTDOWN_ANNOUNCE_SECONDS: '2' }, output);
    children.push(child);
    const agent = new Agent({ keepAlive: false });
    try {
      expect((await send(url, agent, 'GET', '/health/ready')).status).toBe(200);
      const sentAt = Date.now();
      child.kill('SIGTERM');
      await waitFor(() => output.join('').includes('SIGTERM received'));
      // A balancer that has not yet seen the change still gets its calls answered, on new connections.
      const ready = await send(url, agent, 'GET', '/health/ready');
      const call = await send(url, agent, 'POST', '/v1/mcp/get_player', { player_id: 7 });
      expect(ready.status).toBe(503);
      expect(call.status).toBe(200);
      expect(call.headers.connection).toBe('close');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      // The pause was held before the listener closed.
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
    } finally {
      agent.destroy();
    }
  });

  it('closes a connection as soon as an answer begun before SIGTERM ends, so no later call lands on it', async () => {
    const output: string[] = [];
    const { child, url } = await startServer({ API_BASE_URL: upstream.url, SHUTDOWN_GRACE_SECONDS: '30' }, output);
    children.push(child);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25' };
    try {
      const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_player', arguments: { player_id: 7 } } };
      // A legacy-era call answers as an event stream, whose headers leave before the tool has run.
      const inFlight = send(url, agent, 'POST', '/mcp', call, headers);
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.kill('SIGTERM');
      await waitFor(() => output.join('').includes('SIGTERM received'));

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/text\/event-stream/);
      expect(answer.body).toContain('Slowpoke');
      const socket = answer.socket;
      await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 1000))]);
      // Had the connection stayed open, this call would reuse it and be served by a stopping instance.
      await expect(send(url, agent, 'GET', '/health/ready')).rejects.toThrow(/ECONNREFUSED/);
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('exits non-zero when the grace period cuts calls off', async () => {
    const output: string[] = [];
    const { child, url } = await startServer({ API_BASE_URL: upstream.url, SHUTDOWN_GRACE_SECONDS: '0.2' }, output);
    children.push(child);
    const agent = new Agent({ keepAlive: false });
    const inFlight = send(url, agent, 'POST', '/v1/mcp/get_player', { player_id: 7 }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(String(await inFlight)).toMatch(/socket hang up|ECONNRESET/);
    const cutOff = output
      .join('')
      .split('\n')
      .filter((line) => line.includes('"shutdown_cut_off"'));
    expect(cutOff).toHaveLength(1);
    expect(JSON.parse(cutOff[0]!)).toMatchObject({ event: 'shutdown_cut_off', abandoned: 1 });
  });
});

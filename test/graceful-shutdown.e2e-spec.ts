import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

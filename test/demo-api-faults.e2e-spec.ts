import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { Client, Pool } from 'pg';

import { startDemoApi } from '../src/demo/demo-api';
import { TcpProxy } from './support/tcp-proxy';
import { e2eDatabaseUrl } from './support/test-app';

/** The e2e database, reached through a TCP proxy that can drop every connection (a restart). */
async function proxiedDatabase(): Promise<{ proxy: TcpProxy; url: string }> {
  const direct = new URL(e2eDatabaseUrl());
  const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
  direct.port = String(await proxy.start());
  return { proxy, url: direct.toString() };
}

async function statusOf(url: string): Promise<number> {
  return (await fetch(`${url}/api/players/5`)).status;
}

describe('the demo squad-api under database faults', () => {
  it('survives its idle connections being terminated, and a database restart', async () => {
    const { proxy, url } = await proxiedDatabase();
    const pool = new Pool({ connectionString: url, max: 2 });
    const api = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
    const admin = new Client({ connectionString: e2eDatabaseUrl() });
    await admin.connect();
    try {
      expect(await statusOf(api.url)).toBe(200);
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await statusOf(api.url)).toBe(200);

      proxy.mode = 'refuse';
      expect(await statusOf(api.url)).toBe(500);
      proxy.mode = 'forward';
      expect(await statusOf(api.url)).toBe(200);
    } finally {
      await admin.end();
      await api.close();
      await pool.end();
      await proxy.stop();
    }
  });

  it('keeps `npm run demo-api` running through a database restart', async () => {
    const { proxy, url } = await proxiedDatabase();
    const output: string[] = [];
    const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'dist', 'demo', 'demo-api.cli.js')], {
      cwd: join(__dirname, 'support'),
      env: { PATH: process.env.PATH, PORT: '0', DB_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const apiUrl = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', () => {
          const match = /listening on (http:\/\/[0-9.]+:\d+)/.exec(output.join(''));
          if (match !== null) {
            resolve(match[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
      });
      expect(await statusOf(apiUrl)).toBe(200);
      proxy.mode = 'refuse';
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(child.exitCode).toBeNull();
      proxy.mode = 'forward';
      expect(await statusOf(apiUrl)).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
      await proxy.stop();
    }
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';

import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/load-config';
import { type EmbeddedDefaults, embedMissingDependencies } from '../src/embedded/embedded-default';
import { LogCapture } from './support/log-capture';
import { connectMcp, structured } from './support/mcp-client';
import { processMemory } from './support/process-memory';

// Each suite keeps its development key in a folder of its own, never in the checkout.
const keyDir = mkdtempSync(join(tmpdir(), 'squad-embedded-'));
const keyFile = join(keyDir, 'development-key');

afterAll(() => {
  rmSync(keyDir, { recursive: true, force: true });
});

describe('embedded default (nothing configured)', () => {
  let embedded: EmbeddedDefaults;
  let app: NestExpressApplication;
  let url: string;
  let key: string;

  beforeAll(async () => {
    const lines: string[] = [];
    embedded = await embedMissingDependencies(loadConfig({ DEV_KEY_FILE: keyFile }), (line) => lines.push(line));
    key = embedded.developmentKey!.key;
    app = await createApp(embedded.config, { logger: new LogCapture().logger });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await embedded.close();
  });

  it('embeds PostgreSQL and the demo squad-api on loopback and generates a key', () => {
    expect(embedded.config.db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(embedded.config.api.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(key).toMatch(/^sqd_dev_[A-Za-z0-9_-]{32}$/);
    expect(embedded.config.keys.admin).toBe(key);
    expect(embedded.notes).toHaveLength(3);
    // Its connections share one PGlite session, where per-connection statement names would collide.
    expect(embedded.config.db.namedStatements).toBe(false);
  });

  it('serves the player tools over MCP with the generated key', async () => {
    const client = await connectMcp(url, key, 'modern');
    try {
      const search = structured<{ items: { id: number }[]; total_count: number }>(
        await client.callTool({ name: 'search_players', arguments: { limit: 3 } }),
      );
      expect(search.items).toHaveLength(3);
      expect(search.total_count).toBeGreaterThan(100);
      const id = search.items[0]!.id;
      const player = structured(await client.callTool({ name: 'get_player', arguments: { player_id: id } }));
      expect(player).toMatchObject({ id });
      const stats = structured(await client.callTool({ name: 'get_player_stats', arguments: { player_id: id } }));
      expect(stats).toMatchObject({ player_id: id });
    } finally {
      await client.close();
    }
  });

  it('loads the demo help center and serves search_documents over MCP, keyword mode without embeddings', async () => {
    expect(embedded.config.enableRag).toBe(true);
    const client = await connectMcp(url, key, 'modern');
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('search_documents');
      const answer = structured<{ mode: string; items: { source: string; title: string }[] }>(
        await client.callTool({ name: 'search_documents', arguments: { query: 'what are the mask rules at a scenario game?', limit: 3 } }),
      );
      expect(answer.mode).toBe('keyword');
      expect(answer.items.map((item) => item.source)).toContain('safety/masks-and-goggles.md');
    } finally {
      await client.close();
    }
    const health = await request(url).get('/health');
    expect((health.body as { checks: { documents: unknown } }).checks.documents).toEqual({ store: 'ready', vector_path: 'none', mode: 'keyword', embeddings_model: null });
  });

  it('keeps the embedded database read-only for the tools', async () => {
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: embedded.config.db.url, max: 1 });
    try {
      await expect(pool.query('DELETE FROM players')).rejects.toThrow(/read-only transaction/);
    } finally {
      await pool.end();
    }
  });

  it("gives the development key DEV_KEY_RATE_LIMIT_RPM, not the production limit", async () => {
    expect(embedded.config.rateLimitRpm).toBe(10_000);
    const res = await request(url).post('/v1/mcp/get_player').set('Authorization', `Bearer ${key}`).send({ player_id: 2 });
    expect(res.headers['x-ratelimit-limit']).toBe('10000');
  });

  it('keeps the development key across restarts, in a file only its owner may read', async () => {
    const again = await embedMissingDependencies(loadConfig({ DB_URL: embedded.config.db.url, API_BASE_URL: embedded.config.api.baseUrl, DEV_KEY_FILE: keyFile }), () => undefined);
    try {
      expect(again.developmentKey).toEqual({ key, keptIn: keyFile, reused: true });
      expect(again.config.keys.admin).toBe(key);
      expect(again.notes).toContain(`a development API key with the admin role, kept in ${keyFile} (delete the file for a new key)`);
      expect(readFileSync(keyFile, 'utf8')).toBe(`${key}\n`);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    } finally {
      await again.close();
    }
  });

  it('keeps the configured limit when a key is configured (no development key)', async () => {
    const configured = await embedMissingDependencies(loadConfig({ DB_URL: embedded.config.db.url, API_BASE_URL: embedded.config.api.baseUrl, API_KEY_PRIMARY: 'a-configured-key-0123456789' }), () => undefined);
    try {
      expect(configured.developmentKey).toBeUndefined();
      expect(configured.config.rateLimitRpm).toBe(100);
    } finally {
      await configured.close();
    }
  });

  it('sends a browser from / to Swagger UI', async () => {
    const res = await request(url).get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/docs');
  });

  it('answers the REST mirror like MCP', async () => {
    const res = await request(url)
      .post('/v1/mcp/get_player')
      .set('Authorization', `Bearer ${key}`)
      .send({ player_id: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 1 });
  });
});

interface StartedServer {
  readonly child: ChildProcess;
  readonly url: string;
  readonly key: string;
  /** Everything the server printed so far. */
  readonly output: string[];
}

/** Starts the built service as `npm start` does, with nothing configured, and waits for its ready lines. */
async function startBuiltServer(env: Record<string, string>): Promise<StartedServer> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    cwd: join(__dirname, 'support'),
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const { url, key } = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    let url: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const text = output.join('');
      url ??= /listening on (http:\/\/[a-z0-9.]+:\d+)/.exec(text)?.[1];
      const key = /export SQUAD_MCP_KEY=(sqd_dev_[A-Za-z0-9_-]+)/.exec(text)?.[1];
      if (url !== undefined && key !== undefined) {
        resolve({ url, key });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)}: ${output.join('')}`)));
  });
  return { child, url, key, output };
}

async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (child !== undefined && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('npm start with nothing configured', () => {
  let child: ChildProcess | undefined;

  afterAll(async () => {
    await stopServer(child);
  });

  it('starts on loopback, prints where /docs is and an export line for the development key first (even at LOG_LEVEL=warn), and serves tools', async () => {
    const started = await startBuiltServer({ LOG_LEVEL: 'warn', DEV_KEY_FILE: join(keyDir, 'started-key') });
    ({ child } = started);
    const { url, key, output } = started;
    expect(url).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
    // Piped, the console is JSON lines; the first three say where to go and with which key, the third as a shell line.
    const [first, second, third] = output.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { message: string; level: string });
    expect(first!.message).toBe(`squad-mcp listening on ${url}: MCP at ${url}/mcp, Swagger UI at ${url}/docs`);
    expect(second!.message).toBe('Development API key (admin role, 10000 calls/min); for the examples in the README and docs/clients.md:');
    expect(third!.message).toBe(`export SQUAD_MCP_KEY=${key}`);
    expect(readFileSync(join(keyDir, 'started-key'), 'utf8')).toBe(`${key}\n`);
    expect(output.join('')).not.toMatch(/InstanceLoader|RouterExplorer/);
    const client = await connectMcp(url, key, 'legacy');
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('get_player_stats');
      const result = await client.callTool({ name: 'get_player', arguments: { player_id: 2 } });
      expect(structured(result)).toMatchObject({ id: 2 });
      const help = await request(url)
        .post('/v1/mcp/search_documents')
        .set('Authorization', `Bearer ${key}`)
        .send({ query: 'how do I transfer to another squad?' });
      expect(help.status).toBe(200);
      expect((help.body as { items: unknown[] }).items[0]).toMatchObject({ source: 'squads/transferring-to-another-squad.md', title: 'Transferring to another squad' });
    } finally {
      await client.close();
    }
    started.child.kill('SIGTERM');
    const [code] = (await once(started.child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

describe('memory of npm start with nothing configured', () => {
  let child: ChildProcess | undefined;

  afterAll(async () => {
    await stopServer(child);
  });

  it('peaks at no more than 700 MB resident while it starts and seeds, and idles at no more than 400 MB after serving calls', async () => {
    // At debug level the server reports the peak of the short-lived process that loads the database.
    const started = await startBuiltServer({ LOG_LEVEL: 'debug', DEV_KEY_FILE: join(keyDir, 'memory-key') });
    ({ child } = started);
    const atReady = processMemory(started.child.pid!);
    const client = await connectMcp(started.url, started.key, 'modern');
    try {
      const players = structured<{ items: { id: number }[] }>(await client.callTool({ name: 'search_players', arguments: { limit: 5 } }));
      expect(players.items).toHaveLength(5);
      const stats = structured(await client.callTool({ name: 'get_player_stats', arguments: { player_id: players.items[0]!.id } }));
      expect(stats).toMatchObject({ player_id: players.items[0]!.id });
      const help = structured<{ items: unknown[] }>(await client.callTool({ name: 'search_documents', arguments: { query: 'mask rules' } }));
      expect(help.items.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    // Idle: what the process keeps once start-up and a first few calls are over.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const idle = processMemory(started.child.pid!);
    const loaderPeakMb = Number(/loaded by a process of its own, which peaked at (\d+) MB/.exec(started.output.join(''))?.[1]);
    process.stdout.write(
      `embedded default memory: ${atReady.residentMb} MB resident at ready, peak ${idle.peakMb} MB, ${idle.residentMb} MB resident after 5 s idle; ` +
        `the process that loaded the database peaked at ${loaderPeakMb} MB\n`,
    );
    expect(loaderPeakMb).toBeLessThanOrEqual(700);
    expect(idle.peakMb).toBeLessThanOrEqual(700);
    expect(idle.residentMb).toBeLessThanOrEqual(400);
  });
});

describe('npm start in production without configuration', () => {
  it('refuses to start, naming each missing variable on its own line', async () => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
      cwd: join(__dirname, 'support'),
      env: { PATH: process.env.PATH, ENVIRONMENT: 'production', PORT: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const lines = stderr.join('').trim().split('\n');
    expect(lines).toEqual([
      'config error: PORT: expected an integer, got "x"',
      'config error: DB_URL: required when ENVIRONMENT=production (nothing is embedded in production)',
      'config error: API_BASE_URL: required when ENVIRONMENT=production (nothing is embedded in production)',
      expect.stringMatching(/^config error: API_KEY_PRIMARY: at least one key/),
    ]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Pool } from 'pg';

import { startDemoApi } from '../demo/demo-api';
import { endPool } from '../demo/end-pool';
import { seedDatabase } from '../demo/seed';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './embedded-database';

const NOW = new Date('2025-06-01T12:00:00.000Z');

describe('startEmbeddedDatabase', () => {
  let database: EmbeddedDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0 });
    pool = new Pool({ connectionString: database.url, max: 10 });
  });

  afterAll(async () => {
    await endPool(pool);
    await database.close();
  });

  it('serves a postgres:// URL on the requested host with a free port', () => {
    expect(database.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  });

  it('takes the demo world through a pool of 10 clients, once', async () => {
    const seeded = await seedDatabase(pool, { now: NOW });
    expect(seeded.seeded).toBe(true);
    expect(seeded.counts).toMatchObject({ players: 600, squads: 40, matches: 800 });
    const { rows } = await pool.query<{ players: number }>('SELECT count(*)::int AS players FROM players');
    expect(rows[0]?.players).toBe(600);
    expect((await seedDatabase(pool, { now: NOW })).seeded).toBe(false);
  });

  it('shares one session between its connections, so a statement name prepared on one clashes on another', async () => {
    const [first, second] = [await pool.connect(), await pool.connect()];
    try {
      const statement = { name: 'shared_session_probe', text: 'SELECT $1::int AS v' };
      await expect(first.query({ ...statement, values: [1] })).resolves.toMatchObject({ rows: [{ v: 1 }] });
      await expect(second.query({ ...statement, values: [2] })).rejects.toMatchObject({ code: '42P05' });
    } finally {
      first.release();
      second.release();
    }
  });

  it('answers concurrent parameterized queries from every client with the right rows', async () => {
    const expected = await pool.query<{ id: number; callsign: string }>('SELECT id, callsign FROM players ORDER BY id');
    const callsigns = new Map(expected.rows.map((row) => [row.id, row.callsign]));
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const id = (i * 7) % 600 + 1;
        const { rows } = await pool.query<{ id: number; callsign: string; matches: number }>(
          `SELECT p.id, p.callsign, (SELECT count(*)::int FROM match_player_stats s WHERE s.player_id = p.id) AS matches
           FROM players p WHERE p.id = $1`,
          [id],
        );
        return { id, row: rows[0] };
      }),
    );
    for (const { id, row } of answers) {
      expect(row).toMatchObject({ id, callsign: callsigns.get(id) });
    }
    expect(pool.totalCount).toBe(10);
  });

  it('holds other clients back until a transaction ends, so they never see its uncommitted rows', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("UPDATE players SET display_name = 'Uncommitted' WHERE id = 1");
      const outside = pool.query<{ display_name: string }>('SELECT display_name FROM players WHERE id = 1');
      await client.query('ROLLBACK');
      expect((await outside).rows[0]?.display_name).not.toBe('Uncommitted');
    } finally {
      client.release();
    }
  });

  it('supports trigram search through pg_trgm', async () => {
    const { rows } = await pool.query<{ callsign: string }>(
      'SELECT callsign FROM players WHERE callsign ILIKE $1 ORDER BY similarity(callsign, $2) DESC, id LIMIT 3',
      ['%hawk%', 'hawk'],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => /hawk/i.test(row.callsign))).toBe(true);
  });

  it('fails to start when the port is taken', async () => {
    const port = Number(new URL(database.url).port);
    await expect(startEmbeddedDatabase({ host: '127.0.0.1', port })).rejects.toThrow(/failed to start.*EADDRINUSE/s);
  });

  it('backs the demo squad-api', async () => {
    const api = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${api.url}/api/squads/1/members`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as unknown[]).length).toBeGreaterThan(5);
    } finally {
      await api.close();
    }
  });
});

describe('startEmbeddedDatabase with a data directory', () => {
  it('keeps the seeded world across a restart and refuses connections once closed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'squad-pglite-'));
    try {
      const first = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0, dataDir });
      const firstPool = new Pool({ connectionString: first.url, max: 2 });
      expect((await seedDatabase(firstPool, { now: NOW })).seeded).toBe(true);
      await endPool(firstPool);
      await first.close();
      const refused = new Client({ connectionString: first.url });
      await expect(refused.connect()).rejects.toThrow(/ECONNREFUSED/);

      const second = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0, dataDir });
      const secondPool = new Pool({ connectionString: second.url, max: 2 });
      try {
        expect(await seedDatabase(secondPool, { now: NOW })).toMatchObject({ seeded: false, counts: { players: 600 } });
      } finally {
        await endPool(secondPool);
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('startEmbeddedDatabase in a process of its own', () => {
  it('loads a data directory, exits when closed with its peak memory, and leaves files a thread then serves', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'squad-pglite-'));
    try {
      const loader = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0, dataDir, runIn: 'process' });
      const loaderPool = new Pool({ connectionString: loader.url, max: 1 });
      expect((await seedDatabase(loaderPool, { now: NOW })).seeded).toBe(true);
      const { rows } = await loaderPool.query<{ buffers: string }>("SELECT current_setting('shared_buffers') AS buffers");
      expect(rows[0]?.buffers).toBe('16MB');
      await endPool(loaderPool);
      const closed = await loader.close();
      expect(closed.peakResidentMb).toBeGreaterThan(50);
      await expect(new Client({ connectionString: loader.url }).connect()).rejects.toThrow(/ECONNREFUSED/);

      const served = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0, dataDir });
      const servedPool = new Pool({ connectionString: served.url, max: 2 });
      try {
        expect(await seedDatabase(servedPool, { now: NOW })).toMatchObject({ seeded: false, counts: { players: 600 } });
      } finally {
        await endPool(servedPool);
        expect(await served.close()).toEqual({ peakResidentMb: undefined });
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('fails to start in a process of its own when the port is taken', async () => {
    const taken = await startEmbeddedDatabase({ host: '127.0.0.1', port: 0 });
    try {
      const port = Number(new URL(taken.url).port);
      await expect(startEmbeddedDatabase({ host: '127.0.0.1', port, runIn: 'process' })).rejects.toThrow(/failed to start.*EADDRINUSE/s);
    } finally {
      await taken.close();
    }
  });
});

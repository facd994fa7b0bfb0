import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Pool } from 'pg';

import { endPool } from '../src/demo/end-pool';
import { EmbeddingsClient } from '../src/documents/embeddings-client';
import { ingestFolder } from '../src/documents/ingest';
import { EmbeddingsServer } from './support/embeddings-server';
import { createDatabase, dropDatabase } from './support/test-database';

const CLI = join(__dirname, '..', 'dist', 'documents', 'ingest.cli.js');

function ingestCli(dbUrl: string | undefined, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, ...(dbUrl === undefined ? {} : { DB_URL: dbUrl }) },
    cwd: tmpdir(),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run ingest', () => {
  const name = `squad_docs_ingest_${process.pid}_${Date.now()}`;
  let dbUrl: string;
  let pool: Pool;
  let root: string;
  let folder: string;

  beforeAll(async () => {
    dbUrl = await createDatabase(name);
    pool = new Pool({ connectionString: dbUrl, max: 2 });
    root = await mkdtemp(join(tmpdir(), 'squad-ingest-'));
    folder = join(root, 'docs');
    await mkdir(join(folder, 'rules', 'deep'), { recursive: true });
    await writeFile(join(folder, 'rules', 'speed.md'), '# Speed rules\n\nIntro.\n\n## Penalties\n\nMajor ones.\n');
    await writeFile(join(folder, 'rules', 'deep', 'night.md'), '# Night games\n\nRed lights on packs.\n');
    await writeFile(join(folder, 'guide.md'), '---\ncategory: Guides\n---\n# Field guide\n\nBring water.\n');
    await writeFile(join(folder, 'untitled.md'), 'No heading at all.\n');
    await writeFile(join(folder, 'notes.txt'), 'not markdown');
    await writeFile(join(root, 'outside.md'), '# Secret\n\nNot part of the folder.\n');
    await symlink(join(root, 'outside.md'), join(folder, 'escape.md'));
    await symlink(join(folder, 'guide.md'), join(folder, 'guide-link.md'));
    await writeFile(join(folder, 'big.md'), `# Big\n\n${'x'.repeat(1024 * 1024)}`);
    await writeFile(join(folder, 'latin1.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
  });

  afterAll(async () => {
    await endPool(pool);
    await dropDatabase(name);
    await rm(root, { recursive: true, force: true });
  });

  it('loads every markdown file, refusing escapes, oversized and non-UTF-8 files with one line each', async () => {
    const run = ingestCli(dbUrl, ['--dir', folder]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('refused '))).toEqual([
      'refused big.md: 1048583 bytes, larger than the 1048576-byte limit',
      'refused escape.md: it links outside ' + folder,
      'refused latin1.md: not valid UTF-8',
    ]);
    expect(lines.at(-1)).toMatch(/^Ingested .*: documents=5 chunks=6 skipped=0 embedded=0 removed=0 refused=3 vectors=in_process seconds=[\d.]+$/);
    const documents = await pool.query<{ source: string; title: string; category: string }>('SELECT source, title, category FROM squad_docs.documents ORDER BY source');
    expect(documents.rows).toEqual([
      { source: 'guide-link.md', title: 'Field guide', category: 'guides' },
      { source: 'guide.md', title: 'Field guide', category: 'guides' },
      { source: 'rules/deep/night.md', title: 'Night games', category: 'rules' },
      { source: 'rules/speed.md', title: 'Speed rules', category: 'rules' },
      { source: 'untitled.md', title: 'untitled', category: 'general' },
    ]);
    const chunks = await pool.query<{ heading_path: string }>(
      "SELECT c.heading_path FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id WHERE d.source = 'rules/speed.md' ORDER BY c.ordinal",
    );
    expect(chunks.rows.map((row) => row.heading_path)).toEqual(['Speed rules', 'Speed rules › Penalties']);
  });

  it('skips unchanged files, replaces changed ones, and removes vanished ones only with --replace', async () => {
    const again = ingestCli(dbUrl, ['--dir', folder]);
    expect(again.stdout).toMatch(/documents=0 chunks=0 skipped=5 embedded=0 removed=0/);
    await writeFile(join(folder, 'rules', 'speed.md'), '# Speed rules\n\nShorter now.\n');
    await rm(join(folder, 'untitled.md'));
    const kept = ingestCli(dbUrl, ['--dir', folder]);
    expect(kept.stdout).toMatch(/documents=1 chunks=1 skipped=3 embedded=0 removed=0/);
    const replaced = ingestCli(dbUrl, ['--dir', folder, '--replace']);
    expect(replaced.stdout).toMatch(/documents=0 chunks=0 skipped=4 embedded=0 removed=1/);
    const sources = await pool.query<{ source: string }>('SELECT source FROM squad_docs.documents ORDER BY source');
    expect(sources.rows.map((row) => row.source)).toEqual(['guide-link.md', 'guide.md', 'rules/deep/night.md', 'rules/speed.md']);
    const speed = await pool.query<{ text: string }>(
      "SELECT c.text FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id WHERE d.source = 'rules/speed.md'",
    );
    expect(speed.rows).toEqual([{ text: 'Shorter now.' }]);
  });

  it('says how to call it, and what is missing, on one line', () => {
    const usage = ingestCli(dbUrl, ['--replace']);
    expect([usage.status, usage.stderr]).toEqual([1, 'ingest failed: usage: npm run ingest -- --dir PATH [--replace]\n']);
    const noDb = ingestCli(undefined, ['--dir', folder]);
    expect(noDb.status).toBe(1);
    expect(noDb.stderr).toMatch(/^ingest failed: DB_URL is not set/);
    const missing = ingestCli(dbUrl, ['--dir', join(root, 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.split('\n')).toHaveLength(2);
  });

  describe('with an embeddings endpoint', () => {
    const embeddings = new EmbeddingsServer();
    let url: string;

    beforeAll(async () => {
      url = await embeddings.start();
    });

    afterAll(async () => {
      await embeddings.stop();
    });

    const client = (model: string): EmbeddingsClient => new EmbeddingsClient({ url, model, apiKey: undefined, dimensions: undefined, timeoutMs: 2000, maxRetries: 0 });

    it('embeds every chunk, skips unchanged files while the model is the same, and embeds again for a new model', async () => {
      const first = await ingestFolder(pool, { dir: folder, embedder: client('model-a') });
      expect(first).toMatchObject({ documents: 4, embedded: 4, skipped: 0 });
      expect((await ingestFolder(pool, { dir: folder, embedder: client('model-a') })).skipped).toBe(4);
      const requests = embeddings.requests.length;
      const second = await ingestFolder(pool, { dir: folder, embedder: client('model-b') });
      expect(second).toMatchObject({ documents: 4, embedded: 4, skipped: 0 });
      expect(embeddings.requests.length).toBeGreaterThan(requests);
      const store = await pool.query<{ embedding_model: string; dimensions: number }>('SELECT embedding_model, dimensions FROM squad_docs.store');
      expect(store.rows).toEqual([{ embedding_model: 'model-b', dimensions: 96 }]);
      const missing = await pool.query<{ count: number }>('SELECT CAST(COUNT(*) AS integer) AS count FROM squad_docs.chunks WHERE embedding IS NULL');
      expect(missing.rows[0]?.count).toBe(0);
    });

    it('refuses, with one clear line, more vectors than the in-process bound without pgvector', async () => {
      await writeFile(join(folder, 'rules', 'speed.md'), '# Speed rules\n\nChanged again.\n');
      await expect(ingestFolder(pool, { dir: folder, embedder: client('model-b'), maxInProcessChunks: 3 })).rejects.toThrow(
        '4 chunks exceed the 3 that vectors without pgvector allow: install pgvector on this database, or ingest without EMBEDDINGS_URL',
      );
    });

    it('writes nothing when the endpoint fails half-way', async () => {
      const before = await pool.query<{ content_hash: string }>("SELECT content_hash FROM squad_docs.documents WHERE source = 'rules/speed.md'");
      embeddings.behaviour = 'status_500';
      await expect(ingestFolder(pool, { dir: folder, embedder: client('model-b') })).rejects.toThrow('embeddings endpoint failed: status_500');
      embeddings.behaviour = 'ok';
      const after = await pool.query<{ content_hash: string }>("SELECT content_hash FROM squad_docs.documents WHERE source = 'rules/speed.md'");
      expect(after.rows).toEqual(before.rows);
    });
  });
});

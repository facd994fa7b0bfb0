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

  it('loads every markdown file, refusing escapes, oversized and non-UTF-8 files with one line each, and exits 2 for the refusals', async () => {
    const run = ingestCli(dbUrl, ['--dir', folder]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('ingest refused 3 files: see the "refused" lines; every other file was written\n');
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('refused '))).toEqual([
      'refused big.md: 1048583 bytes, larger than the 1048576-byte limit',
      'refused escape.md: it links outside ' + folder,
      'refused latin1.md: not valid UTF-8',
    ]);
    expect(lines.at(-1)).toMatch(/^Ingested .*: documents=5 chunks=6 skipped=0 embedded=0 removed=0 refused=3 trimmed=0 vectors=in_process seconds=[\d.]+$/);
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

  it('keeps the stored version of a file that is present but refused, even with --replace, and writes the good ones', async () => {
    const night = join(folder, 'rules', 'deep', 'night.md');
    await writeFile(night, Buffer.from('# Nuit\n\nLumi\xe8re rouge.\n', 'latin1'));
    await writeFile(join(folder, 'fresh.md'), '# Fresh\n\nA new page.\n');
    const run = ingestCli(dbUrl, ['--dir', folder, '--replace']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('refused rules/deep/night.md: not valid UTF-8');
    expect(run.stdout).toMatch(/documents=1 chunks=1 skipped=3 embedded=0 removed=0 refused=4 /);
    const kept = await pool.query<{ text: string }>(
      "SELECT c.text FROM squad_docs.chunks c JOIN squad_docs.documents d ON d.id = c.document_id WHERE d.source = 'rules/deep/night.md'",
    );
    expect(kept.rows).toEqual([{ text: 'Red lights on packs.' }]);
    await writeFile(night, '# Night games\n\nRed lights on packs.\n');
    await rm(join(folder, 'fresh.md'));
    expect(ingestCli(dbUrl, ['--dir', folder, '--replace']).stdout).toMatch(/documents=0 chunks=0 skipped=4 embedded=0 removed=1 refused=3 /);
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

describe('npm run ingest with files the output contract cannot carry whole', () => {
  const name = `squad_docs_hostile_${process.pid}_${Date.now()}`;
  let dbUrl: string;
  let pool: Pool;
  let root: string;

  beforeAll(async () => {
    dbUrl = await createDatabase(name);
    pool = new Pool({ connectionString: dbUrl, max: 2 });
    root = await mkdtemp(join(tmpdir(), 'squad-hostile-'));
  });

  afterAll(async () => {
    await endPool(pool);
    await dropDatabase(name);
    await rm(root, { recursive: true, force: true });
  });

  it('trims a long title and category to what the tools answer, refuses a long source path, and says which per field', async () => {
    const folder = join(root, 'long');
    const deep = join(folder, ...Array.from({ length: 5 }, (_, index) => `${String(index)}${'d'.repeat(220)}`));
    await mkdir(deep, { recursive: true });
    await writeFile(join(folder, 'heading.md'), `# ${'H'.repeat(2000)}\n\nBody.\n`);
    await writeFile(join(folder, 'front.md'), `---\ntitle: ${'F'.repeat(5000)}\ncategory: ${'c'.repeat(100)}\n---\nNo heading.\n`);
    await writeFile(join(deep, 'far.md'), '# Far away\n\nDeep down.\n');
    const lines: string[] = [];
    const summary = await ingestFolder(pool, { dir: folder, log: (line) => lines.push(line) });
    expect(summary).toMatchObject({ documents: 2, refused: 1, trimmed: 2 });
    expect(lines).toEqual([
      expect.stringMatching(/^refused 0d{59}…: its path is \d{4} characters, longer than the 1000 a source may be$/) as string,
      'trimmed front.md: title cut from 5000 to 1000 characters; category cut from 100 to 64 characters',
      'trimmed heading.md: title cut from 2000 to 1000 characters',
    ]);
    const stored = await pool.query<{ source: string; title: number; category: number }>(
      'SELECT source, char_length(title) AS title, char_length(category) AS category FROM squad_docs.documents ORDER BY source',
    );
    expect(stored.rows).toEqual([
      { source: 'front.md', title: 1000, category: 64 },
      { source: 'heading.md', title: 1000, category: 7 },
    ]);
  });

  it('reads one file at a time: 150 files of 1 MB ingest within a 64 MB heap', async () => {
    const folder = join(root, 'many');
    await mkdir(folder);
    await ingestFolder(pool, { dir: folder });
    for (let index = 0; index < 150; index += 1) {
      const text = `# Page ${index}\n\n${'word '.repeat(200_000)}`;
      const source = `page-${String(index).padStart(3, '0')}.md`;
      await writeFile(join(folder, source), text);
      // Stored as already ingested, so the run reads and hashes every file without the cost of indexing 150 MB.
      await pool.query(
        "INSERT INTO squad_docs.documents (source, title, category, content_hash, body) VALUES ($1, $2, 'general', encode(sha256(convert_to($3, 'UTF8')), 'hex'), '')",
        [source, `Page ${index}`, text],
      );
    }
    const run = spawnSync(process.execPath, ['--max-old-space-size=64', CLI, '--dir', folder], {
      env: { PATH: process.env.PATH, DB_URL: dbUrl },
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/documents=0 chunks=0 skipped=150 /);
  });
});

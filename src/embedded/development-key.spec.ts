import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { keepDevelopmentKey } from './development-key';

describe('keepDevelopmentKey', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'squad-dev-key-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a key on first start and writes it to a file only its owner may read, creating the folder', async () => {
    const path = join(dir, '.data', 'development-key');
    const kept = await keepDevelopmentKey(path);
    expect(kept).toEqual({ key: expect.stringMatching(/^sqd_dev_[A-Za-z0-9_-]{32}$/) as unknown, keptIn: path, reused: false });
    expect(readFileSync(path, 'utf8')).toBe(`${kept.key}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.data')).mode & 0o077).toBe(0);
  });

  it('gives the same key on the next start', async () => {
    const path = join(dir, 'development-key');
    const first = await keepDevelopmentKey(path);
    const second = await keepDevelopmentKey(path);
    expect(second).toEqual({ key: first.key, keptIn: path, reused: true });
  });

  it('tightens a kept file that others could read', async () => {
    const path = join(dir, 'development-key');
    writeFileSync(path, 'sqd_dev_abcdefghijklmnopqrstuvwxyz012345\n', { mode: 0o644 });
    expect((await keepDevelopmentKey(path)).key).toBe('sqd_dev_abcdefghijklmnopqrstuvwxyz012345');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces a file that does not hold a development key', async () => {
    const path = join(dir, 'development-key');
    writeFileSync(path, 'not a key\n', { mode: 0o600 });
    const kept = await keepDevelopmentKey(path);
    expect(kept.reused).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(`${kept.key}\n`);
  });

  it('still gives a key, kept nowhere, when the file cannot be written', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const kept = await keepDevelopmentKey(join(blocker, 'development-key'));
    expect(kept).toEqual({ key: expect.stringMatching(/^sqd_dev_/) as unknown, keptIn: undefined, reused: false, problem: expect.stringMatching(/^(ENOTDIR|EEXIST)/) as unknown });
  });
});

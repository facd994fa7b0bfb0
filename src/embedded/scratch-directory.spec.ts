import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeScratchDirectory } from './scratch-directory';

/** The pid of a process that has already exited. */
function pidOfAnEndedProcess(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe('makeScratchDirectory', () => {
  let parent: string;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'scratch-spec-'));
  });

  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('makes a folder named after the prefix and this process, and removes it on request', async () => {
    const scratch = await makeScratchDirectory('demo-db', parent);
    expect(scratch.path.startsWith(join(parent, `demo-db-${process.pid}-`))).toBe(true);
    expect(existsSync(scratch.path)).toBe(true);
    await scratch.remove();
    expect(existsSync(scratch.path)).toBe(false);
  });

  it('removes the folders of processes that no longer run, and keeps those of running processes and other prefixes', async () => {
    const ended = join(parent, `demo-db-${pidOfAnEndedProcess()}-abc`);
    const running = join(parent, `demo-db-${process.ppid}-def`);
    const other = join(parent, `other-${pidOfAnEndedProcess()}-ghi`);
    for (const folder of [ended, running, other]) {
      await mkdir(join(folder, 'base'), { recursive: true });
    }
    const scratch = await makeScratchDirectory('demo-db', parent);
    expect({ ended: existsSync(ended), running: existsSync(running), other: existsSync(other), own: existsSync(scratch.path) }).toEqual({
      ended: false,
      running: true,
      other: true,
      own: true,
    });
  });
});

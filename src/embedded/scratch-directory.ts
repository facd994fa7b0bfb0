import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchDirectory {
  readonly path: string;
  remove(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another user's leftover is theirs to remove. */
function skipIfNotOurs(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EACCES' && error.code !== 'EPERM') {
    throw error;
  }
}

/**
 * A folder of this process's own under the system's temporary folder, named `<prefix>-<pid>-…`.
 * Folders of the same prefix left by processes that no longer run (killed before they could clean
 * up) are removed first, so they never pile up.
 */
export async function makeScratchDirectory(prefix: string, parent: string = tmpdir()): Promise<ScratchDirectory> {
  const leftover = new RegExp(`^${prefix}-(\\d+)-`);
  for (const name of await readdir(parent)) {
    const pid = Number(leftover.exec(name)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) {
      await rm(join(parent, name), { recursive: true, force: true }).catch(skipIfNotOurs);
    }
  }
  const path = await mkdtemp(join(parent, `${prefix}-${process.pid}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

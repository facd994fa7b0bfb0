import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const KEY = /^sqd_dev_[A-Za-z0-9_-]{32}$/;
const OWNER_ONLY = 0o600;

export interface KeptKey {
  readonly key: string;
  /** The file the key lives in across restarts; undefined when it could not be written. */
  readonly keptIn: string | undefined;
  /** Whether the key was read back from an earlier start. */
  readonly reused: boolean;
  /** Why the key could not be kept (an error code), when it could not. */
  readonly problem?: string;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
}

async function readKey(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return KEY.test(text) ? text : undefined;
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      return undefined;
    }
    throw error;
  }
}

/**
 * The development key of the embedded default, kept across restarts in a file only its owner may
 * read (the path is git-ignored), so the key a person exported and put in a client's config keeps
 * working. A file that holds no key is replaced; where nothing can be written, the key lasts
 * until the process ends and `problem` says why.
 */
export async function keepDevelopmentKey(path: string): Promise<KeptKey> {
  const existing = await readKey(path);
  if (existing !== undefined) {
    await chmod(path, OWNER_ONLY);
    return { key: existing, keptIn: path, reused: true };
  }
  const key = 'sqd_dev_' + randomBytes(24).toString('base64url');
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, `${key}\n`, { mode: OWNER_ONLY });
    // The mode given to writeFile applies only to a file it creates.
    await chmod(path, OWNER_ONLY);
    return { key, keptIn: path, reused: false };
  } catch (error) {
    return { key, keptIn: undefined, reused: false, problem: errorCode(error) };
  }
}

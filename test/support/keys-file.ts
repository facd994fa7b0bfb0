import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '../../src/auth/key-records';

export interface KeyEntry {
  readonly id: string;
  readonly key: string;
  readonly roles?: string[];
  readonly rate_limit_rpm?: number;
}

/** A fresh random API key. */
export const newKey = (): string => 'k_' + randomBytes(24).toString('base64url');

/** Writes the keys as an API_KEYS_FILE would hold them: digests, roles and limits. */
export async function writeKeys(path: string, entries: readonly KeyEntry[]): Promise<void> {
  const records = entries.map(({ id, key, roles, rate_limit_rpm }) => ({
    id,
    sha256: sha256Hex(key),
    roles: roles ?? ['service'],
    ...(rate_limit_rpm === undefined ? {} : { rate_limit_rpm }),
  }));
  await writeFile(path, JSON.stringify(records));
}

/** A keys file in a fresh temporary folder; its path. */
export async function keysFile(entries: readonly KeyEntry[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'squad-keys-')), 'keys.json');
  await writeKeys(path, entries);
  return path;
}

import { hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import type { Role } from '../common/context/request-context';
import { isRecord } from '../common/util/is-record';

/** One accepted API key, held only as the SHA-256 digest of the key. */
export interface KeyRecord {
  /** A stable, non-secret name, used as `client_id` in logs, audit events and metrics. */
  readonly id: string;
  readonly sha256: string;
  readonly roles: readonly Role[];
  /** Calls per 60 s for this key; RATE_LIMIT_RPM when absent. */
  readonly rateLimitRpm?: number;
}

export interface KeyVariables {
  readonly primary: string | undefined;
  readonly secondary: string | undefined;
  readonly admin: string | undefined;
  readonly file: string | undefined;
}

/** Thrown when the keys file is unreadable or invalid; `problems` holds one line per entry. */
export class KeysFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`API_KEYS_FILE is invalid:\n${problems.join('\n')}`);
  }
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DIGEST = /^[0-9a-f]{64}$/;
const ROLES: readonly Role[] = ['service', 'admin'];

export const sha256Hex = (value: string): string => hash('sha256', value, 'hex');

function parseEntry(entry: unknown, index: number, problems: string[]): KeyRecord | undefined {
  const where = `API_KEYS_FILE entry ${index}`;
  if (!isRecord(entry)) {
    problems.push(`${where}: must be an object`);
    return undefined;
  }
  const { id, sha256, roles, rate_limit_rpm: rpm, ...rest } = entry;
  const before = problems.length;
  if (typeof id !== 'string' || !ID.test(id)) {
    problems.push(`${where}: "id" must be 1–64 letters, digits, ".", "_" or "-"`);
  }
  if (typeof sha256 !== 'string' || !DIGEST.test(sha256.toLowerCase())) {
    problems.push(`${where}: "sha256" must be the 64 hex digits of the key's SHA-256`);
  }
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => ROLES.includes(role as Role))) {
    problems.push(`${where}: "roles" must be a non-empty list of ${ROLES.join(', ')}`);
  }
  if (rpm !== undefined && (typeof rpm !== 'number' || !Number.isInteger(rpm) || rpm < 1 || rpm > 1_000_000)) {
    problems.push(`${where}: "rate_limit_rpm" must be an integer from 1 to 1000000`);
  }
  if (Object.keys(rest).length > 0) {
    problems.push(`${where}: unknown fields ${Object.keys(rest).join(', ')}`);
  }
  if (problems.length > before) {
    return undefined;
  }
  return {
    id: id as string,
    sha256: (sha256 as string).toLowerCase(),
    roles: [...new Set(roles as Role[])],
    ...(rpm === undefined ? {} : { rateLimitRpm: rpm as number }),
  };
}

/** Reads the keys of the environment variables and of API_KEYS_FILE into one validated list. */
export async function readKeyRecords(variables: KeyVariables): Promise<KeyRecord[]> {
  const records: KeyRecord[] = [];
  const named: [string | undefined, string, Role[]][] = [
    [variables.primary, 'primary', ['service']],
    [variables.secondary, 'secondary', ['service']],
    [variables.admin, 'admin', ['service', 'admin']],
  ];
  for (const [key, id, roles] of named) {
    if (key !== undefined) {
      records.push({ id, sha256: sha256Hex(key), roles });
    }
  }
  if (variables.file === undefined) {
    return records;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(variables.file, 'utf8'));
  } catch (error) {
    throw new KeysFileError([`API_KEYS_FILE: cannot read ${variables.file} as JSON (${(error as Error).message})`]);
  }
  if (!Array.isArray(parsed)) {
    throw new KeysFileError(['API_KEYS_FILE: must hold a JSON list of {id, sha256, roles, rate_limit_rpm?}']);
  }
  const problems: string[] = [];
  for (const [index, entry] of parsed.entries()) {
    const record = parseEntry(entry, index, problems);
    if (record !== undefined) {
      records.push(record);
    }
  }
  const ids = records.map((record) => record.id);
  const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (duplicates.length > 0) {
    problems.push(`API_KEYS_FILE: duplicate ids ${[...new Set(duplicates)].join(', ')}`);
  }
  if (problems.length > 0) {
    throw new KeysFileError(problems);
  }
  return records;
}

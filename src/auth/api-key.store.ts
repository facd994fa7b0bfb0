import { hash, timingSafeEqual } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Role } from '../common/context/request-context';
import type { KeyRecord } from './key-records';

export interface ApiKeyIdentity {
  readonly clientId: string;
  readonly roles: readonly Role[];
  readonly rateLimitRpm: number | undefined;
}

interface StoredKey {
  readonly identity: ApiKeyIdentity;
  readonly digest: Buffer;
}

/** The accepted API keys, as SHA-256 digests compared in constant time; replaced whole on reload. */
@Injectable()
export class ApiKeyStore {
  private keys: readonly StoredKey[] = [];

  replace(records: readonly KeyRecord[]): void {
    this.keys = records.map((record) => ({
      identity: { clientId: record.id, roles: record.roles, rateLimitRpm: record.rateLimitRpm },
      digest: Buffer.from(record.sha256, 'hex'),
    }));
  }

  get size(): number {
    return this.keys.length;
  }

  identify(presentedKey: string): ApiKeyIdentity | undefined {
    const digest = hash('sha256', presentedKey, 'buffer');
    let match: StoredKey | undefined;
    // Every stored digest is compared, so timing does not reveal which key matched.
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest)) {
        match = key;
      }
    }
    return match?.identity;
  }
}

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
  // What each request's key was found to be: the body's time bound and the key guard both ask.
  private answered = new WeakMap<object, { readonly presented: string; readonly identity: ApiKeyIdentity | undefined }>();

  replace(records: readonly KeyRecord[]): void {
    this.answered = new WeakMap();
    this.keys = records.map((record) => ({
      identity: { clientId: record.id, roles: record.roles, rateLimitRpm: record.rateLimitRpm },
      digest: Buffer.from(record.sha256, 'hex'),
    }));
  }

  get size(): number {
    return this.keys.length;
  }

  /** `identify`, worked out once per request. */
  identifyFor(request: object, presentedKey: string): ApiKeyIdentity | undefined {
    const known = this.answered.get(request);
    // Both strings come from the same request's header: comparing them says nothing of the stored keys.
    if (known?.presented === presentedKey) {
      return known.identity;
    }
    const identity = this.identify(presentedKey);
    this.answered.set(request, { presented: presentedKey, identity });
    return identity;
  }

  identify(presentedKey: string): ApiKeyIdentity | undefined {
    // Hex and back: the one-shot digest's own Buffer output is several times slower.
    const digest = Buffer.from(hash('sha256', presentedKey, 'hex'), 'hex');
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

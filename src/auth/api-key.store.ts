import { createHash, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import type { Role } from '../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export interface ApiKeyIdentity {
  /** A stable, non-secret name for the key, used as `client_id` in logs and metrics. */
  readonly clientId: string;
  readonly roles: readonly Role[];
}

interface StoredKey extends ApiKeyIdentity {
  readonly digest: Buffer;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** The accepted API keys, held only as SHA-256 digests and compared in constant time. */
@Injectable()
export class ApiKeyStore {
  private readonly keys: readonly StoredKey[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { primary, secondary, admin } = config.keys;
    const entries: [string | undefined, string, Role[]][] = [
      [primary, 'primary', ['service']],
      [secondary, 'secondary', ['service']],
      [admin, 'admin', ['service', 'admin']],
    ];
    this.keys = entries.flatMap(([key, clientId, roles]) =>
      key === undefined ? [] : [{ clientId, roles, digest: sha256(key) }],
    );
  }

  identify(presentedKey: string): ApiKeyIdentity | undefined {
    const digest = sha256(presentedKey);
    let match: StoredKey | undefined;
    // Every stored digest is compared, so timing does not reveal which key matched.
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest)) {
        match = key;
      }
    }
    return match === undefined ? undefined : { clientId: match.clientId, roles: match.roles };
  }
}

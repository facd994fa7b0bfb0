import { setTimeout as sleep } from 'node:timers/promises';

import { createLocalJWKSet, type CryptoKey, errors, type FlattenedJWSInput, type JWK, type JWSHeaderParameters, type LocalJWKSet } from 'jose';

import type { Clock } from '../common/clock';
import { isRecord } from '../common/util/is-record';
import type { TokenSettings } from '../config/app-config';
import { fetchJson, FetchJsonError } from './fetch-json';

/** No signing key is known yet and none can be fetched now: tokens cannot be checked (503, not 401). */
export class KeysUnavailableError extends Error {
  constructor() {
    super('No signing keys of the token issuer are available');
    this.name = 'KeysUnavailableError';
  }
}

/** What the key source reports about its fetches, for the log. */
export interface KeySourceEvents {
  fetched(keys: number): void;
  failed(reason: string, keptKeys: number): void;
}

type KeySettings = Pick<TokenSettings, 'jwksUrl' | 'issuer' | 'jwksMaxAgeMs' | 'jwksCooldownMs' | 'fetchTimeoutMs'>;

const SIGNING_KEY_TYPES = ['RSA', 'EC', 'OKP'];

/** The public signing keys of a JWKS document; secret and private material is never kept. */
function signingKeysOf(document: unknown): JWK[] {
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    throw new FetchJsonError('answer is not a JWKS ({"keys": [...]})');
  }
  const keys = document.keys.filter(
    (key): key is JWK =>
      isRecord(key) && typeof key.kty === 'string' && SIGNING_KEY_TYPES.includes(key.kty) && key.d === undefined && (key.use === undefined || key.use === 'sig'),
  );
  if (keys.length === 0) {
    throw new FetchJsonError('JWKS holds no public signing key');
  }
  return keys;
}

/** The `jwks_uri` of the issuer's OpenID configuration, which must name the same issuer. */
async function discoverJwksUrl(issuer: string, timeoutMs: number): Promise<string> {
  const document = await fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, timeoutMs);
  if (!isRecord(document) || document.issuer !== issuer) {
    throw new FetchJsonError('discovery document does not name AUTH_ISSUER as its issuer');
  }
  const jwksUri = document.jwks_uri;
  if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) {
    throw new FetchJsonError('discovery document has no http(s) jwks_uri');
  }
  return jwksUri;
}

/** How long a token with an unknown `kid` may wait for the next permitted fetch; past it, the token is refused at once. */
export const MAX_UNKNOWN_KID_WAIT_MS = 5000;

/**
 * The issuer's signing keys, fetched from its JWKS (found through OpenID discovery when only the
 * issuer is configured) and kept: fetched again when older than the maximum age, or when a token
 * names a `kid` not among them (key rotation). Fetches are at least the cooldown apart, whatever
 * asks, so tokens with made-up `kid`s cannot flood the issuer; and fair: a token with an unknown
 * `kid` waits for the next fetch that starts after it arrived (when that is near) and shares it
 * with every other waiting token, so a flood cannot use up the fetch a rotated key needs. While
 * fetching fails the keys already held stay in use.
 */
export class JwksKeySource {
  private keys: LocalJWKSet | undefined;
  private keyCount = 0;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private jwksUrl: string | undefined;
  private fetching: Promise<void> | undefined;
  // The fetch that unknown `kid`s wait for, until it starts.
  private next: Promise<void> | undefined;

  constructor(
    private readonly settings: KeySettings,
    private readonly clock: Clock,
    private readonly events: KeySourceEvents,
  ) {
    this.jwksUrl = settings.jwksUrl;
  }

  /** A key resolver for jose's `jwtVerify`. */
  readonly resolve = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    const arrived = this.clock.now();
    if (this.keys === undefined || arrived - this.fetchedAt >= this.settings.jwksMaxAgeMs) {
      await this.refresh();
    }
    const keys = this.keys;
    if (keys === undefined) {
      throw new KeysUnavailableError();
    }
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !(await this.fetchedSince(arrived))) {
        throw error;
      }
    }
    return (this.keys ?? keys)(header, token);
  };

  private mayFetch(): boolean {
    return this.untilMayFetch() <= 0;
  }

  /**
   * Waits for a fetch that started at or after `arrived`: the one running, or the next one the
   * cooldown allows when it is near. False, without waiting, when the next fetch is too far off.
   */
  private async fetchedSince(arrived: number): Promise<boolean> {
    if (this.fetching !== undefined && this.attemptedAt >= arrived) {
      await this.fetching;
      return true;
    }
    if (this.next === undefined && this.untilMayFetch() > MAX_UNKNOWN_KID_WAIT_MS) {
      return false;
    }
    this.next ??= this.nextFetch();
    await this.next;
    return true;
  }

  /** The next fetch: after the one running, once the cooldown allows; every token that arrives before it starts shares it. */
  private async nextFetch(): Promise<void> {
    await this.fetching;
    // A timer may fire a little before the clock says the cooldown is over (the event loop's time
    // lags under load); waking early must not skip the fetch every waiting token counts on.
    for (let wait = this.untilMayFetch(); wait > 0; wait = this.untilMayFetch()) {
      await sleep(wait);
    }
    this.next = undefined;
    await this.refresh();
  }

  private untilMayFetch(): number {
    return this.attemptedAt + this.settings.jwksCooldownMs - this.clock.now();
  }

  /** Fetches the keys unless a fetch ran within the cooldown; concurrent callers share one fetch. */
  private async refresh(): Promise<void> {
    if (this.fetching === undefined && this.mayFetch()) {
      this.attemptedAt = this.clock.now();
      this.fetching = this.fetch().finally(() => {
        this.fetching = undefined;
      });
    }
    await this.fetching;
  }

  private async fetch(): Promise<void> {
    try {
      this.jwksUrl ??= await discoverJwksUrl(this.settings.issuer, this.settings.fetchTimeoutMs);
      const keys = signingKeysOf(await fetchJson(this.jwksUrl, this.settings.fetchTimeoutMs));
      this.keys = createLocalJWKSet({ keys });
      this.keyCount = keys.length;
      this.fetchedAt = this.clock.now();
      this.events.fetched(keys.length);
    } catch (error) {
      const reason = error instanceof FetchJsonError ? error.reason : 'JWKS rejected';
      this.events.failed(reason, this.keyCount);
    }
  }
}

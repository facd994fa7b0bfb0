import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeProtectedHeader } from 'jose';

import { CLOCK, type Clock } from '../common/clock';
import type { Role } from '../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type BearerError, ProtectedResourceMetadata } from './protected-resource-metadata';
import { TokenVerifier } from './token-verifier';

// Three base64url parts: the shape of a signed JWT in compact form (an unsigned one ends with the dot).
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Bearer tokens beside the API keys, when AUTH_JWKS_URL or AUTH_ISSUER is set: tells a token from
 * a key, verifies it, and says how to challenge a caller. With tokens off it is inert, and every
 * bearer value is a key as before.
 */
@Injectable()
export class TokenAuthentication {
  private readonly logger = new Logger('Tokens');
  private readonly verifier: TokenVerifier | undefined;
  readonly metadata: ProtectedResourceMetadata | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(CLOCK) clock: Clock) {
    const settings = config.tokens;
    if (settings === undefined) {
      return;
    }
    this.metadata = new ProtectedResourceMetadata(settings);
    this.verifier = new TokenVerifier(settings, clock, {
      fetched: (keys) => {
        this.logger.log({ event: 'jwks_fetched', keys }, `token signing keys fetched (${keys})`);
      },
      failed: (reason, keptKeys) => {
        this.logger.warn({ event: 'jwks_fetch_failed', reason, kept_keys: keptKeys }, `token signing keys not fetched: ${reason}`);
      },
    });
  }

  /** Whether bearer tokens are accepted beside keys. */
  get accepted(): boolean {
    return this.verifier !== undefined;
  }

  /** The verifier, when tokens are accepted and `bearer` is a JWT (its header decodes); otherwise the value is a key. */
  verifierFor(bearer: string): TokenVerifier | undefined {
    if (this.verifier === undefined || !COMPACT_JWT.test(bearer)) {
      return undefined;
    }
    try {
      return typeof decodeProtectedHeader(bearer).alg === 'string' ? this.verifier : undefined;
    } catch {
      return undefined;
    }
  }

  /** The `WWW-Authenticate` value of a refusal of a route that needs `role`: plain `Bearer` while only keys are accepted. */
  challenge(error: BearerError | undefined, role: Role): string {
    return this.metadata?.challenge(error, role) ?? 'Bearer';
  }

  /** The challenge of a caller whose credential is good but lacks `role`: none while only keys are accepted. */
  scopeChallenge(role: Role): string | undefined {
    return this.metadata?.challenge('insufficient_scope', role);
  }
}

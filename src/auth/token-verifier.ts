import { errors, jwtVerify } from 'jose';

import type { Clock } from '../common/clock';
import type { TokenSettings } from '../config/app-config';
import { JwksKeySource, type KeySourceEvents } from './jwks-key-source';
import { identityFromClaims, type TokenIdentity } from './token-claims';

/** A token that is not accepted; `reason` names why, for the audit event (never shown to the caller). */
export class TokenRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`token refused: ${reason}`);
    this.name = 'TokenRefusedError';
  }
}

const CLAIM_REASONS: Readonly<Record<string, string>> = {
  nbf: 'token_not_yet_valid',
  iss: 'token_wrong_issuer',
  aud: 'token_wrong_audience',
  exp: 'token_without_expiry',
};

/** Names what jose refused, in the audit vocabulary. */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    return 'token_expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return CLAIM_REASONS[error.claim] ?? 'token_claims_invalid';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'token_algorithm_refused';
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'token_unknown_key';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'token_bad_signature';
  }
  return 'token_malformed';
}

/**
 * Verifies JWT bearer tokens: a signature by one of the issuer's keys with an allowed asymmetric
 * algorithm, then `iss`, `aud` (this server only: a token meant for another service is refused),
 * and `exp` (required) and `nbf` within the clock skew.
 */
export class TokenVerifier {
  private readonly keys: JwksKeySource;

  constructor(
    private readonly settings: TokenSettings,
    private readonly clock: Clock,
    events: KeySourceEvents,
  ) {
    this.keys = new JwksKeySource(settings, clock, events);
  }

  /** The token's identity; throws TokenRefusedError, or KeysUnavailableError when no key can be had. */
  async verify(token: string): Promise<TokenIdentity> {
    let claims: Readonly<Record<string, unknown>>;
    try {
      ({ payload: claims } = await jwtVerify(token, this.keys.resolve, {
        algorithms: [...this.settings.algorithms],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockSkewSeconds,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) {
        throw new TokenRefusedError(reasonFor(error));
      }
      throw error;
    }
    const identity = identityFromClaims(claims, this.settings);
    if (identity === undefined) {
      throw new TokenRefusedError('token_without_client');
    }
    return identity;
  }
}

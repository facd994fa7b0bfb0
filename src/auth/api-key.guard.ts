import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { currentRequestContext, type Role } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { clientAddressOf } from '../common/http/client-address';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MIN_KEY_LENGTH } from '../config/env-reader';
import { ApiKeyStore } from './api-key.store';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { KeysUnavailableError } from './jwks-key-source';
import { keyHint } from './key-hint';
import { asPlayerId } from './player-id';
import type { BearerError } from './protected-resource-metadata';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLE } from './roles.decorator';
import { TokenAuthentication } from './token-authentication';
import { TokenRefusedError } from './token-verifier';

// Exactly "Bearer <credential>": one space, visible ASCII, nothing else. Keys are at most 512
// characters; a JWT may be longer.
const BEARER = /^Bearer ([\x21-\x7e]{1,8192})$/;
const MAX_KEY_LENGTH = 512;
const OVERSIZED_BEARER = /^Bearer [\x21-\x7e]{8193,}$/;

/** Who is calling, whether a key or a token said so. */
interface CallerIdentity {
  readonly clientId: string;
  readonly roles: readonly Role[];
  readonly rateLimitRpm: number | undefined;
  /** The end user the token names; undefined for keys, which leave the user to X-User-ID. */
  readonly tokenUserId: string | undefined;
  readonly via: 'key' | 'token';
}

/** Why no identity was established: the audit reason and the challenge's RFC 6750 error. */
interface Refusal {
  readonly reason: string;
  readonly error: BearerError | undefined;
}

function authorizationHeaderCount(req: Request): number {
  let count = 0;
  for (let index = 0; index < req.rawHeaders.length; index += 2) {
    if (req.rawHeaders[index]?.toLowerCase() === 'authorization') {
      count += 1;
    }
  }
  return count;
}

/** The one place authentication is decided, for `/mcp`, the REST mirrors and `/admin`: API keys, and tokens when configured. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyHint: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
    private readonly tokens: TokenAuthentication,
    private readonly failures: AuthFailureThrottle,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keyHint = keyHint(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    // The role a challenge names: the route's own, else the one every tool route needs.
    const challengedRole = required ?? 'service';
    const requestContext = currentRequestContext();
    const assertedUserId = req.header('x-user-id');
    if (requestContext !== undefined) {
      requestContext.userId = asPlayerId(assertedUserId);
    }
    const address = clientAddressOf(req);
    const wait = await this.failures.retryAfterSeconds(address);
    if (wait !== undefined) {
      throw AppError.rateLimited(wait, 'auth_failures_throttled');
    }
    const identity = await this.identify(req);
    if ('reason' in identity) {
      await this.failures.failed(address);
      throw new AppError(ErrorCode.Unauthorized, undefined, {
        challenge: this.tokens.challenge(identity.error, challengedRole),
        refusal: identity.reason,
        suggestions: [this.keyHint],
      });
    }
    if (requestContext !== undefined) {
      requestContext.clientId = identity.clientId;
      requestContext.roles = identity.roles;
      requestContext.rateLimitRpm = identity.rateLimitRpm;
      requestContext.userId = identity.tokenUserId ?? requestContext.userId;
    }
    if (identity.roles.length === 0) {
      throw new AppError(ErrorCode.Forbidden, 'The token grants neither the service nor the admin role', {
        challenge: this.tokens.scopeChallenge(challengedRole),
        refusal: 'token_without_role',
      });
    }
    if (identity.tokenUserId !== undefined && assertedUserId !== undefined && assertedUserId !== identity.tokenUserId) {
      throw new AppError(ErrorCode.InvalidInput, "X-User-ID names another player than the token's user", {
        details: [{ field: 'X-User-ID', message: "must be left out or equal the token's user" }],
        refusal: 'user_id_conflict',
      });
    }
    if (required !== undefined && !identity.roles.includes(required)) {
      throw new AppError(ErrorCode.Forbidden, `This route needs the ${required} role`, {
        challenge: this.tokens.scopeChallenge(required),
        refusal: `role_${required}_required`,
      });
    }
    if (requestContext !== undefined) {
      requestContext.via = identity.via;
    }
    return true;
  }

  /** The caller's identity from exactly one `Authorization: Bearer <key or token>` header, or why not. */
  private async identify(req: Request): Promise<CallerIdentity | Refusal> {
    const header = req.header('authorization');
    // Node keeps only the first of repeated Authorization headers; a request carrying several is ambiguous.
    if (authorizationHeaderCount(req) > 1) {
      return { reason: 'duplicate_authorization', error: 'invalid_request' };
    }
    if (header === undefined) {
      return { reason: 'missing_key', error: undefined };
    }
    const presented = BEARER.exec(header)?.[1];
    if (presented === undefined && this.tokens.accepted && OVERSIZED_BEARER.test(header)) {
      // Longer than any token this server reads, and far longer than any key: refused as a token.
      return { reason: 'invalid_token', error: 'invalid_token' };
    }
    const verifier = presented === undefined ? undefined : this.tokens.verifierFor(presented);
    if (presented !== undefined && verifier !== undefined) {
      try {
        const token = await verifier.verify(presented);
        return { clientId: token.clientId, roles: token.roles, rateLimitRpm: undefined, tokenUserId: token.userId, via: 'token' };
      } catch (error) {
        if (error instanceof TokenRefusedError) {
          return { reason: error.reason, error: 'invalid_token' };
        }
        if (error instanceof KeysUnavailableError) {
          throw new AppError(ErrorCode.AuthUnavailable, undefined, { cause: error, refusal: 'token_keys_unavailable' });
        }
        throw error;
      }
    }
    // A key of API_KEYS_FILE is known only by its digest, so the length rule is checked on what is presented.
    const key = presented === undefined || presented.length > MAX_KEY_LENGTH || presented.length < MIN_KEY_LENGTH ? undefined : this.keys.identifyFor(req, presented);
    return key === undefined ? { reason: 'invalid_key', error: 'invalid_token' } : { ...key, tokenUserId: undefined, via: 'key' };
  }
}

import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { currentRequestContext, type RequestContext, type Role } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { clientAddressOf } from '../common/http/client-address';
import { type ApiKeyIdentity, ApiKeyStore } from './api-key.store';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLE } from './roles.decorator';

// Exactly "Bearer <key>": one space, a key of visible ASCII, nothing else.
const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;
const USER_ID = /^[1-9]\d{0,9}$/;
const MAX_USER_ID = 2_147_483_647;

/** An end user's player id: a positive integer that fits a PostgreSQL integer. */
function acceptUserId(header: string | undefined): string | undefined {
  return header !== undefined && USER_ID.test(header) && Number(header) <= MAX_USER_ID ? header : undefined;
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

function deny(requestContext: RequestContext | undefined, reason: string): void {
  if (requestContext !== undefined) {
    requestContext.access = { result: 'denied', reason };
  }
}

/** The one place authentication is decided, for `/mcp`, the REST mirrors and `/admin`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
    private readonly failures: AuthFailureThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const requestContext = currentRequestContext();
    if (requestContext !== undefined) {
      requestContext.userId = acceptUserId(req.header('x-user-id'));
    }
    const address = clientAddressOf(req);
    const wait = await this.failures.retryAfterSeconds(address);
    if (wait !== undefined) {
      deny(requestContext, 'auth_failures_throttled');
      throw AppError.rateLimited(wait);
    }
    const identity = this.identify(req, requestContext);
    if (identity === undefined) {
      await this.failures.failed(address);
      throw new AppError(ErrorCode.Unauthorized);
    }
    if (requestContext !== undefined) {
      requestContext.clientId = identity.clientId;
      requestContext.roles = identity.roles;
      requestContext.rateLimitRpm = identity.rateLimitRpm;
      requestContext.access = { result: 'allowed', reason: 'valid_key' };
    }
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (required !== undefined && !identity.roles.includes(required)) {
      deny(requestContext, `role_${required}_required`);
      throw new AppError(ErrorCode.Forbidden, `This route needs the ${required} role`);
    }
    return true;
  }

  /** The caller's identity from exactly one `Authorization: Bearer <key>` header, or undefined (and why). */
  private identify(req: Request, requestContext: RequestContext | undefined): ApiKeyIdentity | undefined {
    const header = req.header('authorization');
    // Node keeps only the first of repeated Authorization headers; a request carrying several is ambiguous.
    if (authorizationHeaderCount(req) > 1) {
      deny(requestContext, 'duplicate_authorization');
      return undefined;
    }
    const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
    const identity = presented === undefined ? undefined : this.keys.identify(presented);
    if (identity === undefined) {
      deny(requestContext, header === undefined ? 'missing_key' : 'invalid_key');
    }
    return identity;
  }
}

import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { currentRequestContext, type Role } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { ApiKeyStore } from './api-key.store';
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

/** The one place authentication is decided, for `/mcp`, the REST mirrors and `/admin`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const requestContext = currentRequestContext();
    if (requestContext !== undefined) {
      requestContext.userId = acceptUserId(req.header('x-user-id'));
    }
    const header = req.header('authorization');
    // Node keeps only the first of repeated Authorization headers; a request carrying several is ambiguous.
    if (authorizationHeaderCount(req) > 1) {
      if (requestContext !== undefined) {
        requestContext.access = { result: 'denied', reason: 'duplicate_authorization' };
      }
      throw new AppError(ErrorCode.Unauthorized);
    }
    const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
    const identity = presented === undefined ? undefined : this.keys.identify(presented);
    if (identity === undefined) {
      if (requestContext !== undefined) {
        requestContext.access = { result: 'denied', reason: header === undefined ? 'missing_key' : 'invalid_key' };
      }
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
      if (requestContext !== undefined) {
        requestContext.access = { result: 'denied', reason: `role_${required}_required` };
      }
      throw new AppError(ErrorCode.Forbidden, `This route needs the ${required} role`);
    }
    return true;
  }
}

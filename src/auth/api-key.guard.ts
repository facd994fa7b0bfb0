import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { ApiKeyStore } from './api-key.store';
import { IS_PUBLIC } from './public.decorator';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;
const USER_ID = /^[1-9]\d{0,9}$/;

/** The one place authentication is decided, for `/mcp`, the REST mirrors and `/admin`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const presented = BEARER.exec(req.header('authorization') ?? '')?.[1];
    const identity = presented === undefined ? undefined : this.keys.identify(presented);
    if (identity === undefined) {
      throw new AppError(ErrorCode.Unauthorized);
    }
    const requestContext = currentRequestContext();
    if (requestContext !== undefined) {
      requestContext.clientId = identity.clientId;
      requestContext.roles = identity.roles;
      const userId = req.header('x-user-id');
      requestContext.userId = userId !== undefined && USER_ID.test(userId) ? userId : undefined;
    }
    return true;
  }
}

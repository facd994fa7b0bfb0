import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { currentRequestContext } from '../common/context/request-context';

const logger = new Logger('Audit');

/**
 * One `event: "audit"` line per access attempt on a protected route, allowed or refused, with
 * who asked (client and end user), for which tool, and the decision's reason.
 */
export function auditMiddleware(_req: Request, res: Response, next: NextFunction): void {
  const context = currentRequestContext();
  res.once('finish', () => {
    const access = context?.access;
    if (context === undefined || access === undefined) {
      return;
    }
    logger.log(
      {
        event: 'audit',
        client_id: context.clientId ?? null,
        user_id: context.userId ?? null,
        tool: context.tool ?? null,
        result: access.result,
        reason: access.reason,
        status_code: res.statusCode,
      },
      `access ${access.result}`,
    );
  });
  next();
}

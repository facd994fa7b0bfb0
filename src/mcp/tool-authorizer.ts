import { Injectable } from '@nestjs/common';

import { currentRequestContext } from '../common/context/request-context';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { ToolCallContext } from './catalog/mcp-tool.decorator';
import type { ToolDefinition } from './catalog/tool-definition';

/** Decides whether the caller's roles allow a tool. */
@Injectable()
export class ToolAuthorizer {
  authorize(tool: ToolDefinition, context: ToolCallContext): void {
    if (!context.roles.some((role) => tool.roles.includes(role))) {
      const requestContext = currentRequestContext();
      if (requestContext !== undefined) {
        requestContext.access = { result: 'denied', reason: 'role_not_allowed' };
      }
      throw new AppError(ErrorCode.Forbidden, `Your key may not call ${tool.name}`);
    }
  }
}

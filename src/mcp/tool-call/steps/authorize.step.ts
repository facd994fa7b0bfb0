import { Injectable } from '@nestjs/common';

import type { Role } from '../../../common/context/request-context';
import { AppError } from '../../../common/errors/app-error';
import { mayCall, type ToolDefinition } from '../../catalog/tool-definition';
import { type NextStep, refused, type ToolCall, type ToolCallStep, type ToolOutcome } from '../tool-call';

/** The answer without the fields the caller's roles may not see. */
function visibleFields(tool: ToolDefinition, output: object, roles: readonly Role[]): object {
  const hidden = tool.restrictedFields.filter(([, allowed]) => !roles.some((role) => allowed.includes(role))).map(([field]) => field);
  if (hidden.length === 0) {
    return output;
  }
  return Object.fromEntries(Object.entries(output).filter(([field]) => !hidden.includes(field)));
}

/**
 * The one place a tool call is authorized: the caller's roles must allow the tool (the same rule
 * decides what `tools/list` shows it), and its answer loses the fields those roles may not see.
 */
@Injectable()
export class AuthorizeStep implements ToolCallStep {
  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const { tool, caller } = call;
    if (!mayCall(tool, caller.roles)) {
      return refused(AppError.forbidden(`Your credentials do not allow ${tool.name}`, 'role_not_allowed'));
    }
    const outcome = await next(call);
    if (!outcome.ok || tool.restrictedFields.length === 0) {
      return outcome;
    }
    return { ...outcome, output: visibleFields(tool, outcome.output, caller.roles) };
  }
}

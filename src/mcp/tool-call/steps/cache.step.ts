import { Injectable } from '@nestjs/common';

import { type CacheableCall, ResultCache } from '../../../cache/result-cache';
import { ALL_ROLES, type ToolDefinition } from '../../catalog/tool-definition';
import type { NextStep, Reuse, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/** Whether every caller gets the same answer: no user in it, no field hidden from some roles, no role kept out. */
function sameForEveryCaller(tool: ToolDefinition): boolean {
  return typeof tool.cache === 'object' && tool.restrictedFields.length === 0 && ALL_ROLES.every((role) => tool.roles.includes(role));
}

/**
 * Reuses a fresh answer of the same call for the tools that opt in (`cache`), and keeps each new
 * one. Answers are kept per tool version, validated arguments and role set, and per end user
 * (with the client that vouched for them) whenever one is forwarded, unless the tool declares its
 * answers the same for every user: a private answer never reaches another authorization context.
 */
@Injectable()
export class CacheStep implements ToolCallStep {
  constructor(private readonly cache: ResultCache) {}

  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const { tool, caller } = call;
    if (tool.cache === undefined) {
      return next(call);
    }
    const perUser = tool.cache === true && caller.userId !== undefined;
    const cacheable: CacheableCall = {
      tool: tool.name,
      version: tool.version,
      input: call.args as object,
      roles: caller.roles,
      user: perUser ? { clientId: caller.clientId, userId: caller.userId } : undefined,
    };
    const scope: Reuse['scope'] = sameForEveryCaller(tool) ? 'public' : 'private';
    const found = await this.cache.lookup(cacheable);
    if (found !== undefined) {
      return { ok: true, output: found.output, reuse: { freshForMs: found.freshForMs, scope } };
    }
    const outcome = await next(call);
    return outcome.ok ? { ...outcome, reuse: { freshForMs: this.cache.keep(cacheable, outcome.output), scope } } : outcome;
  }
}

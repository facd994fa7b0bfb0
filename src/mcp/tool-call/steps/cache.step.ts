import { Injectable } from '@nestjs/common';

import { type CacheableCall, ResultCache } from '../../../cache/result-cache';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/** Reuses a fresh answer of the same call for the tools that opt in (`cache: true`), and keeps each new one. */
@Injectable()
export class CacheStep implements ToolCallStep {
  constructor(private readonly cache: ResultCache) {}

  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    if (call.tool.cache !== true) {
      return next(call);
    }
    const cacheable: CacheableCall = { tool: call.tool.name, version: call.tool.version, input: call.args as object, roles: call.caller.roles };
    const found = await this.cache.lookup(cacheable);
    if (found !== undefined) {
      return { ok: true, output: found.output, freshForMs: found.freshForMs };
    }
    const outcome = await next(call);
    return outcome.ok ? { ...outcome, freshForMs: this.cache.keep(cacheable, outcome.output) } : outcome;
  }
}

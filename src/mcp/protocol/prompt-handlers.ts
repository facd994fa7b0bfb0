import type { CompleteRequest, CompleteResult, GetPromptResult, ListPromptsResult } from '@modelcontextprotocol/server';
import { Injectable } from '@nestjs/common';

import { PromptCatalog } from '../catalog/prompt-catalog';
import { PromptCompletions } from '../tool-call/prompt-completions';
import { invalidParams, toProtocolError } from './mcp-answers';

const NO_COMPLETIONS: CompleteResult = { completion: { values: [], hasMore: false } };

/** The MCP prompt requests, and argument completion for prompts. */
@Injectable()
export class PromptHandlers {
  constructor(
    private readonly prompts: PromptCatalog,
    private readonly completions: PromptCompletions,
  ) {}

  list(): ListPromptsResult {
    return { prompts: this.prompts.list() };
  }

  get(name: string, args: Readonly<Record<string, string>> | undefined): GetPromptResult {
    const prompt = this.prompts.find(name);
    if (prompt === undefined) {
      throw invalidParams('No prompt has this name: prompts/list names them');
    }
    try {
      return this.prompts.render(prompt, args ?? {});
    } catch (error) {
      throw toProtocolError(error);
    }
  }

  async complete(request: CompleteRequest): Promise<CompleteResult> {
    const { ref, argument } = request.params;
    if (ref.type !== 'ref/prompt') {
      return NO_COMPLETIONS;
    }
    let values: string[];
    try {
      values = await this.completions.complete(ref.name, argument.name, argument.value);
    } catch (error) {
      throw toProtocolError(error);
    }
    return { completion: { values, total: values.length, hasMore: false } };
  }
}

import { Injectable } from '@nestjs/common';

import { PromptCatalog } from '../catalog/prompt-catalog';
import { ToolRegistry } from '../catalog/tool-registry';
import { ToolPipeline } from './tool-pipeline';

const MAX_COMPLETIONS = 100;

/**
 * Candidate values for a prompt's arguments: a choice's values by prefix, or what the tool named
 * as the argument's source answers, run through the tool-call pipeline like any other call.
 */
@Injectable()
export class PromptCompletions {
  constructor(
    private readonly prompts: PromptCatalog,
    private readonly registry: ToolRegistry,
    private readonly pipeline: ToolPipeline,
  ) {}

  /** Candidate values for one argument of a prompt, given what has been typed so far. */
  async complete(promptName: string, argumentName: string, typed: string): Promise<string[]> {
    const definition = this.prompts.find(promptName)?.arguments.find((argument) => argument.name === argumentName);
    if (definition === undefined) {
      return [];
    }
    if (definition.type.kind === 'choice') {
      const prefix = typed.toLowerCase();
      return definition.type.values.filter((value) => value.toLowerCase().startsWith(prefix));
    }
    const source = definition.completion;
    const tool = source === undefined ? undefined : this.registry.find(source.tool);
    if (source === undefined || tool === undefined) {
      return [];
    }
    const outcome = await this.pipeline.run(tool, source.arguments(typed), { surface: 'mcp', origin: 'completion/complete' });
    if (!outcome.ok) {
      throw outcome.error;
    }
    return source.values(outcome.output, typed).slice(0, MAX_COMPLETIONS);
  }
}

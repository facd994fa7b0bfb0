import type { GetPromptResult, Prompt } from '@modelcontextprotocol/server';
import { Inject, Injectable } from '@nestjs/common';

import { CLOCK, type Clock } from '../../common/clock';
import { AppError, type FieldProblem } from '../../common/errors/app-error';
import { textForModel } from '../../common/text/model-text';
import { MCP_PROMPTS, type PromptArgumentDefinition, type PromptArguments, type PromptDefinition } from './prompt-definition';
import { ToolRegistry } from './tool-registry';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[1-9][0-9]{0,9}$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;
const MAX_ID = 2_147_483_647;
const MAX_ECHOED_NAME = 64;

/** A rendered prompt, the same for both surfaces. */
export type RenderedPrompt = GetPromptResult;

function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Checks one argument's value; a problem in words, or the parsed value. */
function parseArgument(definition: PromptArgumentDefinition, raw: unknown): { value?: string | number; problem?: string } {
  const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof text !== 'string') {
    return { problem: `${definition.name} must be a string` };
  }
  const type = definition.type;
  switch (type.kind) {
    case 'id':
      return ID.test(text) && Number(text) <= MAX_ID ? { value: Number(text) } : { problem: `${definition.name} must be a positive integer id` };
    case 'date':
      return isRealDate(text) ? { value: text } : { problem: `${definition.name} must be a date as YYYY-MM-DD` };
    case 'text': {
      // Refused when it holds control characters; cleaned of the invisible ones that reorder text, which the model reads.
      const clean = textForModel(text);
      return clean.length >= 1 && text.length <= type.maxLength && !CONTROL_CHARACTERS.test(text)
        ? { value: clean }
        : { problem: `${definition.name} must be 1–${type.maxLength} characters without control characters` };
    }
    case 'choice':
      return type.values.includes(text) ? { value: text } : { problem: `${definition.name} must be one of: ${type.values.join(', ')}` };
  }
}

function describeCall(tool: string, args: Record<string, unknown>, purpose: string): string {
  return `- \`${tool}\` ${JSON.stringify(args)} — ${purpose}`;
}

/**
 * The product's prompts: listed once, and rendered per request after their arguments are checked.
 */
@Injectable()
export class PromptCatalog {
  private readonly byName: ReadonlyMap<string, PromptDefinition>;
  private listing: Prompt[] | undefined;

  constructor(
    @Inject(MCP_PROMPTS) prompts: readonly PromptDefinition[],
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: ToolRegistry,
  ) {
    this.byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));
  }

  list(): Prompt[] {
    this.listing ??= this.definitions().map((prompt) => ({
      name: prompt.name,
      title: prompt.title,
      description: prompt.description,
      arguments: prompt.arguments.map(({ name, description, required }) => ({ name, description, required })),
    }));
    return this.listing;
  }

  definitions(): readonly PromptDefinition[] {
    return [...this.byName.values()];
  }

  find(name: string): PromptDefinition | undefined {
    return this.byName.get(name);
  }

  /** Renders the prompt, or throws `invalid_input` naming every argument that is missing, unknown or malformed. */
  render(prompt: PromptDefinition, raw: Readonly<Record<string, unknown>>): RenderedPrompt {
    const args = this.parse(prompt, raw);
    const calls = prompt.calls(args, new Date(this.clock.now()));
    for (const call of calls) {
      if (this.registry.find(call.tool) === undefined) {
        throw new Error(`Prompt ${prompt.name} suggests ${call.tool}, which is not a tool`);
      }
    }
    const text = [
      prompt.task(args),
      '',
      'Call these tools (the JSON is their arguments):',
      ...calls.map((call) => describeCall(call.tool, call.arguments, call.purpose)),
      '',
      prompt.presentation,
    ].join('\n');
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text } }] };
  }

  private parse(prompt: PromptDefinition, raw: Readonly<Record<string, unknown>>): PromptArguments {
    const problems: FieldProblem[] = [];
    const known = new Set(prompt.arguments.map((argument) => argument.name));
    for (const name of Object.keys(raw).filter((key) => !known.has(key))) {
      const field = name.slice(0, MAX_ECHOED_NAME);
      problems.push({ field, message: `${prompt.name} has no argument ${field}` });
    }
    const args: Record<string, string | number | undefined> = {};
    for (const definition of prompt.arguments) {
      const value = raw[definition.name];
      if (value === undefined || value === null || value === '') {
        if (definition.required) {
          problems.push({ field: definition.name, message: `${definition.name} is required` });
        }
        continue;
      }
      const parsed = parseArgument(definition, value);
      if (parsed.problem !== undefined) {
        problems.push({ field: definition.name, message: parsed.problem });
      }
      args[definition.name] = parsed.value;
    }
    if (problems.length > 0) {
      throw AppError.invalidInput(problems);
    }
    return args;
  }
}

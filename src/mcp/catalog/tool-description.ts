import { isPageSchema, isTextPartSchema } from '../tool-call/result-budget';
import type { JsonSchema, ToolDefinition } from './tool-definition';

/**
 * A tool's description as a model reads it in MCP `tools/list`: a list tool's ends with how to
 * page, which is all a model needs (a page cut short by the result budget says `has_more`); a
 * document's `offset` argument says itself how to read the next part.
 */
export function callerDescription(tool: ToolDefinition, outputSchema: JsonSchema): string {
  return isPageSchema(outputSchema) ? `${tool.description} Paged: while has_more, call again with offset = next_offset.` : tool.description;
}

/** The same for people reading the Swagger page, who also learn why a page or part may be shorter than asked. */
export function operationDescription(tool: ToolDefinition, outputSchema: JsonSchema, maxResultBytes: number): string {
  const kilobytes = Math.floor(maxResultBytes / 1024);
  if (isTextPartSchema(outputSchema)) {
    return `${tool.description} In parts: while \`next_offset\` is not null, call again with \`offset\` = \`next_offset\`. A part carries at most ${kilobytes} kB of JSON, so it may hold fewer characters than \`max_chars\`.`;
  }
  if (!isPageSchema(outputSchema)) {
    return tool.description;
  }
  return `${callerDescription(tool, outputSchema)} A page carries at most ${kilobytes} kB of JSON, so it may hold fewer items than \`limit\`.`;
}

const EXAMPLE = /Example: (\{.*?\})(?:\.(?=\s|$)|$)/s;

/**
 * The arguments of the example in a tool's description (`Example: {...}.`): the one example a tool
 * has, shown to the model in the description and prefilled as the Swagger request body.
 */
export function exampleArguments(description: string): Record<string, unknown> | undefined {
  const json = EXAMPLE.exec(description)?.[1];
  if (json === undefined) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

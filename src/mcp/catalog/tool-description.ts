import { isPageSchema, isTextPartSchema } from '../tool-call/result-budget';
import type { JsonSchema, ToolDefinition } from './tool-definition';

/** A tool's description as callers read it (MCP `tools/list` and the OpenAPI operation). */
export function callerDescription(tool: ToolDefinition, outputSchema: JsonSchema, maxResultBytes: number): string {
  const kilobytes = Math.floor(maxResultBytes / 1024);
  if (isTextPartSchema(outputSchema)) {
    return (
      `${tool.description} A part carries at most ${kilobytes} kB of JSON: when more would not fit it holds fewer ` +
      'characters than `max_chars`; ask again with `offset` = `next_offset` for the rest.'
    );
  }
  if (!isPageSchema(outputSchema)) {
    return tool.description;
  }
  return (
    `${tool.description} A page carries at most ${kilobytes} kB of JSON: when more would not fit it holds fewer items ` +
    'than `limit`, with `has_more: true`; ask again with `offset` = `next_offset` for the rest.'
  );
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

import { isPageSchema } from './result-budget';
import type { JsonSchema, ToolDefinition } from './tool-definition';

/** A tool's description as callers read it (MCP `tools/list` and the OpenAPI operation). */
export function callerDescription(tool: ToolDefinition, outputSchema: JsonSchema, maxResultBytes: number): string {
  if (!isPageSchema(outputSchema)) {
    return tool.description;
  }
  const kilobytes = Math.floor(maxResultBytes / 1024);
  return (
    `${tool.description} A page carries at most ${kilobytes} kB of JSON: when more would not fit it holds fewer items ` +
    'than `limit`, with `has_more: true`; ask again with `offset` = `next_offset` for the rest.'
  );
}

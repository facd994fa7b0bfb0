import type { Role } from '../../common/context/request-context';
import type { McpToolOptions, ToolAnnotations, ToolCallContext } from './mcp-tool.decorator';

export type JsonSchema = Record<string, unknown>;

export type ToolHandler = (input: object, context: ToolCallContext) => Promise<object>;

/** A discovered tool: its declaration, its bound handler and, once the app is configured, its schemas. */
export interface ToolDefinition extends Omit<McpToolOptions, 'annotations' | 'roles' | 'restrictedFields'> {
  readonly annotations: Required<Pick<ToolAnnotations, 'readOnlyHint' | 'idempotentHint'>> & ToolAnnotations;
  readonly roles: readonly Role[];
  readonly restrictedFields: readonly (readonly [field: string, roles: readonly Role[]])[];
  readonly handler: ToolHandler;
  /** The tool's domain, from its provider class (`PlayersTools` → `players`); groups the Swagger page. */
  readonly domain: string;
}

export interface ToolSchemas {
  readonly input: JsonSchema;
  readonly output: JsonSchema;
}

export const ALL_ROLES: readonly Role[] = ['service', 'admin'];

/** Whether a caller with these roles may call the tool, and so see it listed. */
export function mayCall(tool: ToolDefinition, roles: readonly Role[]): boolean {
  return roles.some((role) => tool.roles.includes(role));
}

/** Whether some role may not call the tool, so what lists it differs between callers. */
export function isRestricted(tool: ToolDefinition): boolean {
  return !ALL_ROLES.every((role) => tool.roles.includes(role));
}

import { SetMetadata, type Type } from '@nestjs/common';

import type { Role } from '../common/context/request-context';

export const MCP_TOOL_METADATA = 'squad-mcp:tool';

export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly openWorldHint?: boolean;
}

/** Everything a tool declares about itself; the registry derives every surface from it. */
export interface McpToolOptions {
  /** `verb_noun` snake_case, unique across the catalog. */
  readonly name: string;
  readonly title: string;
  /** Written for an LLM choosing a tool: what it returns, when to prefer it, one example. */
  readonly description: string;
  /** Semver; a breaking change to inputs or outputs bumps the major version. */
  readonly version: string;
  readonly input: Type<object>;
  readonly output: Type<object>;
  readonly annotations?: ToolAnnotations;
  /** Roles that may call the tool; every role when omitted. */
  readonly roles?: readonly Role[];
  /**
   * Whether an answer may be reused for RESULT_CACHE_TTL_SECONDS. Only for tools whose answer
   * depends on nothing but their input and the caller's roles (not on the user or the clock).
   */
  readonly cache?: boolean;
}

/** Who is calling a tool, as established at the edge. */
export interface ToolCallContext {
  readonly requestId: string;
  readonly clientId: string;
  readonly roles: readonly Role[];
  readonly userId: string | undefined;
}

/** Marks a provider method `(input, context) => Promise<output>` as an MCP tool. */
export const McpTool = (options: McpToolOptions): MethodDecorator => SetMetadata(MCP_TOOL_METADATA, options);

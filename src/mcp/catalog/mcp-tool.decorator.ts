import { SetMetadata, type Type } from '@nestjs/common';

import type { Role } from '../../common/context/request-context';

export const MCP_TOOL_METADATA = 'squad-mcp:tool';

export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly openWorldHint?: boolean;
}

/**
 * The tool's answer served as a read-only MCP resource: reading the URI is calling the tool, with
 * the template's variables as its arguments, through the same tool-call pipeline.
 */
export interface ToolResource {
  /** A fixed URI (`squad://regions`) or a URI template whose variables are the tool's arguments (`squad://players/{player_id}`). */
  readonly uri: string;
  /** Short machine name shown in resources/list. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Arguments every read adds, e.g. a page size that takes the whole list. */
  readonly arguments?: Readonly<Record<string, unknown>>;
  /**
   * For a list resource: the template its items are listed under in resources/list, each item's
   * field of the variable's name (or its `id`) filling the template's one variable and its `name`
   * (or `title`) naming it.
   */
  readonly items?: string;
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
  /** Roles that may call the tool (and see it listed); every role when omitted. */
  readonly roles?: readonly Role[];
  /** Output fields only some roles may see (`{ email: ['admin'] }`); they are removed from other callers' answers. */
  readonly restrictedFields?: Readonly<Record<string, readonly Role[]>>;
  /**
   * Whether an answer may be reused for RESULT_CACHE_TTL_SECONDS; only for tools whose answer does
   * not depend on the clock. `true` keeps answers apart per end user whenever one is forwarded (the
   * user goes to squad-api, which may tailor the answer to them). A tool whose answer is the same
   * for every user says why in `sameForEveryUser` (squad-api's contract, or data read without the
   * user); its answers are then shared by every caller with the same roles.
   */
  readonly cache?: true | { readonly sameForEveryUser: string };
  readonly resource?: ToolResource;
  /**
   * Where the answer quotes text from (`Squad's help center`), for tools that return text written
   * by others: MCP text content fences it as data (see toCallToolResult); the structured content
   * and the REST mirror stay plain JSON.
   */
  readonly quotes?: string;
}

/** Who is calling a tool, as established at the edge. */
export interface ToolCallContext {
  readonly clientId: string;
  readonly roles: readonly Role[];
  readonly userId: string | undefined;
  /** Aborts when the caller has left; the database and HTTP clients read it by themselves. */
  readonly signal: AbortSignal;
}

/** Marks a provider method `(input, context) => Promise<output>` as an MCP tool. */
export const McpTool = (options: McpToolOptions): MethodDecorator => SetMetadata(MCP_TOOL_METADATA, options);

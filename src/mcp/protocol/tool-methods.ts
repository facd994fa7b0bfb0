import type { CallToolResult, ListToolsResult, Tool } from '@modelcontextprotocol/server';
import { Injectable } from '@nestjs/common';

import { currentRequestContext, type Role } from '../../common/context/request-context';
import { mayCall, type ToolDefinition, unknownToolMessage } from '../catalog/tool-definition';
import { callerDescription } from '../catalog/tool-description';
import { ToolRegistry } from '../catalog/tool-registry';
import { FitResultStep } from '../tool-call/steps/fit-result.step';
import { SpendBudgetStep } from '../tool-call/steps/spend-budget.step';
import { ToolPipeline } from '../tool-call/tool-pipeline';
import { withCacheHint } from './cache-hint';
import { invalidParams, toCallToolResult, toProtocolError } from './mcp-answers';

/** The params of a `tools/call` once the protocol check has passed them. */
export interface CallToolParams {
  readonly name: string;
  readonly arguments?: Record<string, unknown>;
}

/**
 * `tools/list` and `tools/call` as MCP answers them, whichever dispatcher carries the message (the
 * SDK's per-request server or the direct one): one implementation, so both answer alike.
 */
@Injectable()
export class ToolMethods {
  /** `tools/list` answers by role set (`admin`, `service`, `admin,service`), each prepared on first use. */
  private readonly toolLists = new Map<string, { readonly list: ListToolsResult; readonly bytes: number }>();

  constructor(
    private readonly registry: ToolRegistry,
    private readonly pipeline: ToolPipeline,
    private readonly spendBudget: SpendBudgetStep,
    private readonly fitResult: FitResultStep,
  ) {}

  /**
   * The tools the caller's roles may call, and only those, by name in code-point order: not the
   * order modules happened to register them, nor a locale's collation, so every instance of a
   * release answers the same bytes (and caches keyed on them agree). A listing costs a unit of the
   * rate limit and its size comes out of the request's result budget, like a tool's answer, so a
   * batch of listings is bounded like a batch of calls.
   */
  list(): ListToolsResult {
    const request = currentRequestContext();
    const listing = this.listingFor(request?.roles ?? []);
    const refusal = this.spendBudget.spend(request, request?.clientId ?? 'anonymous') ?? this.fitResult.chargeWhole(request, 'tools/list', listing.bytes);
    if (refusal !== undefined) {
      throw toProtocolError(refusal);
    }
    return listing.list;
  }

  /** Runs the named tool through the pipeline; `protocolVersion` is the revision the client spoke, which decides the cache hint. */
  async call(params: CallToolParams, protocolVersion: string | undefined): Promise<CallToolResult> {
    const tool = this.registry.find(params.name);
    if (tool === undefined) {
      throw invalidParams(unknownToolMessage(params.name));
    }
    const outcome = await this.pipeline.run(tool, params.arguments ?? {}, { surface: 'mcp', origin: 'tools/call' });
    return withCacheHint(toCallToolResult(outcome, tool), outcome.ok ? outcome.reuse : undefined, protocolVersion);
  }

  /** Whether a name is one of the catalog's tools: caller-chosen names stay out of span names. */
  readonly isTool = (name: string): boolean => this.registry.find(name) !== undefined;

  private listingFor(roles: readonly Role[]): { readonly list: ListToolsResult; readonly bytes: number } {
    const key = [...roles].sort().join(',');
    let listing = this.toolLists.get(key);
    if (listing === undefined) {
      const tools = this.registry.list().filter((tool) => mayCall(tool, roles));
      // Names are unique, so no two compare equal.
      tools.sort((a, b) => (a.name < b.name ? -1 : 1));
      const list = { tools: tools.map((tool) => this.describe(tool)) };
      listing = { list, bytes: Buffer.byteLength(JSON.stringify(list)) };
      this.toolLists.set(key, listing);
    }
    return listing;
  }

  private describe(tool: ToolDefinition): Tool {
    const schemas = this.registry.schemasOf(tool.name);
    return {
      name: tool.name,
      title: tool.title,
      description: callerDescription(tool, schemas.output),
      inputSchema: schemas.input as Tool['inputSchema'],
      outputSchema: schemas.output,
      annotations: { title: tool.title, ...tool.annotations },
      _meta: { version: tool.version },
    };
  }
}

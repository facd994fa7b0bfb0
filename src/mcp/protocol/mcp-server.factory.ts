import type { CallToolRequest, CallToolResult, ListToolsResult, ServerContext, ServerOptions, Tool } from '@modelcontextprotocol/server';
import { Server } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Inject, Injectable } from '@nestjs/common';

import { APP_NAME, APP_VERSION } from '../../app-info';
import { currentRequestContext, type Role } from '../../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { McpSpans } from '../../observability/tracing/mcp-spans';
import { ResourceCatalog } from '../catalog/resource-catalog';
import { isRestricted, mayCall, type ToolDefinition } from '../catalog/tool-definition';
import { callerDescription } from '../catalog/tool-description';
import { ToolRegistry } from '../catalog/tool-registry';
import { FitResultStep } from '../tool-call/steps/fit-result.step';
import { SpendBudgetStep } from '../tool-call/steps/spend-budget.step';
import { ToolPipeline } from '../tool-call/tool-pipeline';
import { withCacheHint } from './cache-hint';
import { invalidParams, toCallToolResult, toProtocolError } from './mcp-answers';
import { PromptHandlers } from './prompt-handlers';
import { ResourceHandlers } from './resource-handlers';

/** How long a list that only changes with a new release may be reused, by anyone. */
const CATALOG_TTL_MS = 3_600_000;
/** resources/list carries the fields, which change with the data. */
const RESOURCE_LIST_TTL_MS = 60_000;

/**
 * The 2026-07-28 cache hints of the cacheable results. Catalogs are the same for every caller
 * (public), except a tool list that some tools leave out for some roles (private); a read is a
 * tool answer, which may differ by the caller's role (private), and lives as long as the result
 * cache keeps it.
 */
function cacheHints(config: AppConfig, varyByRole: { tools: boolean; resources: boolean }): NonNullable<ServerOptions['cacheHints']> {
  const scopeOf = (varies: boolean) => (varies ? 'private' : 'public');
  return {
    'tools/list': { ttlMs: CATALOG_TTL_MS, cacheScope: scopeOf(varyByRole.tools) },
    'prompts/list': { ttlMs: CATALOG_TTL_MS, cacheScope: 'public' },
    'resources/templates/list': { ttlMs: CATALOG_TTL_MS, cacheScope: scopeOf(varyByRole.resources) },
    'resources/list': { ttlMs: RESOURCE_LIST_TTL_MS, cacheScope: scopeOf(varyByRole.resources) },
    'resources/read': { ttlMs: config.resultCacheTtlMs, cacheScope: 'private' },
  };
}

/**
 * Builds the per-request MCP server: the SDK's protocol server (it negotiates both eras, checks
 * every request and result against the protocol, and answers `initialize`, `ping` and
 * `server/discover`) with handlers over tables prepared once — `tools/list` answers the
 * descriptions prepared for the caller's roles, `tools/call` runs the tool-call pipeline and
 * translates its outcome, resources and prompts go to their handlers (a resource read is a tool
 * call too). Nothing is registered per tool per request, and
 * no server is ever shared between requests.
 */
@Injectable()
export class McpServerFactory {
  private readonly jsonSchemaValidator = new AjvJsonSchemaValidator();
  /** `tools/list` answers by role set (`admin`, `service`, `admin,service`), each prepared on first use. */
  private readonly toolLists = new Map<string, { readonly list: ListToolsResult; readonly bytes: number }>();
  private options: ServerOptions | undefined;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly pipeline: ToolPipeline,
    private readonly resources: ResourceHandlers,
    private readonly prompts: PromptHandlers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly spans: McpSpans,
    private readonly resourceCatalog: ResourceCatalog,
    private readonly spendBudget: SpendBudgetStep,
    private readonly fitResult: FitResultStep,
  ) {}

  /** Built on first use: the catalog is complete only once every module is initialised. */
  private serverOptions(): ServerOptions {
    this.options ??= {
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        completions: {},
      },
      jsonSchemaValidator: this.jsonSchemaValidator,
      cacheHints: cacheHints(this.config, { tools: this.registry.list().some(isRestricted), resources: this.resourceCatalog.variesByRole() }),
    };
    return this.options;
  }

  // The SDK keeps Server for servers that bring their own handlers, which is what this one does.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  readonly create = (context?: { requestInfo?: Request }): Server => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const server = new Server({ name: APP_NAME, version: APP_VERSION }, this.serverOptions());
    server.setRequestHandler('tools/list', () => this.listTools());
    server.setRequestHandler('tools/call', (request, ctx) => this.callTool(request, ctx));
    server.setRequestHandler('resources/list', (request) => this.resources.list(request.params?.cursor));
    server.setRequestHandler('resources/templates/list', () => this.resources.templates(currentRequestContext()?.roles ?? []));
    server.setRequestHandler('resources/read', (request) => this.resources.read(request.params.uri));
    server.setRequestHandler('prompts/list', () => this.prompts.list());
    server.setRequestHandler('prompts/get', (request) => this.prompts.get(request.params.name, request.params.arguments));
    server.setRequestHandler('completion/complete', (request) => this.prompts.complete(request));
    this.spans.instrument(server, context?.requestInfo, (name) => this.registry.find(name) !== undefined);
    return server;
  };

  /**
   * The tools the caller's roles may call, and only those, by name in code-point order: not the
   * order modules happened to register them, nor a locale's collation, so every instance of a
   * release answers the same bytes (and caches keyed on them agree). A listing costs a unit of the
   * rate limit and its size comes out of the request's result budget, like a tool's answer, so a
   * batch of listings is bounded like a batch of calls.
   */
  private listTools(): ListToolsResult {
    const request = currentRequestContext();
    const roles: readonly Role[] = request?.roles ?? [];
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
    const refusal = this.spendBudget.spend(request, request?.clientId ?? 'anonymous') ?? this.fitResult.chargeWhole(request, 'tools/list', listing.bytes);
    if (refusal !== undefined) {
      throw toProtocolError(refusal);
    }
    return listing.list;
  }

  private async callTool(request: CallToolRequest, ctx: ServerContext): Promise<CallToolResult> {
    const tool = this.registry.find(request.params.name);
    if (tool === undefined) {
      throw invalidParams(`Tool ${request.params.name} not found`);
    }
    const outcome = await this.pipeline.run(tool, request.params.arguments ?? {}, { surface: 'mcp', origin: 'tools/call' });
    return withCacheHint(toCallToolResult(outcome, tool), outcome.ok ? outcome.reuse : undefined, ctx);
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

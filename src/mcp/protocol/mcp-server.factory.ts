import type { CallToolRequest, CallToolResult, ListToolsResult, ServerContext, ServerOptions, Tool } from '@modelcontextprotocol/server';
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Inject, Injectable } from '@nestjs/common';

import { APP_NAME, APP_VERSION } from '../../app-info';
import { withCacheHint } from './cache-hint';
import { currentRequestId } from '../../common/context/request-context';
import { toErrorResponse } from '../../common/errors/error-response';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { McpSpans } from '../../observability/tracing/mcp-spans';
import { PromptHandlers } from './prompt-handlers';
import { ResourceHandlers } from './resource-handlers';
import type { ToolOutcome } from '../tool-call-observer';
import type { ToolDefinition } from '../catalog/tool-definition';
import { callerDescription } from '../catalog/tool-description';
import { ToolExecutor } from '../tool-executor';
import { ToolRegistry } from '../catalog/tool-registry';

/** Where an error result carries its body for clients that want it machine-readable. */
export const ERROR_META_KEY = 'squad-mcp/error';

/**
 * Successes carry the output twice (structured, and as JSON text for clients that read only text).
 * Failures carry the SPEC §5 body as JSON text and under `_meta`, never as `structuredContent`:
 * many clients check that against the tool's output schema even on errors, and would hide the message.
 */
function toCallToolResult(outcome: ToolOutcome): CallToolResult {
  if (outcome.ok) {
    return { content: [{ type: 'text', text: outcome.json }], structuredContent: outcome.output };
  }
  const body = toErrorResponse(outcome.error, currentRequestId()).body;
  return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: true, _meta: { [ERROR_META_KEY]: body } };
}

/** How long a list that only changes with a new release may be reused, by anyone. */
const CATALOG_TTL_MS = 3_600_000;
/** resources/list carries the fields, which change with the data. */
const RESOURCE_LIST_TTL_MS = 60_000;

/**
 * The 2026-07-28 cache hints of the cacheable results. Catalogs are the same for every caller
 * (public); a read is a tool answer, which may differ by the caller's role (private), and lives as
 * long as the result cache keeps it.
 */
function cacheHints(config: AppConfig): NonNullable<ServerOptions['cacheHints']> {
  return {
    'tools/list': { ttlMs: CATALOG_TTL_MS, cacheScope: 'public' },
    'prompts/list': { ttlMs: CATALOG_TTL_MS, cacheScope: 'public' },
    'resources/templates/list': { ttlMs: CATALOG_TTL_MS, cacheScope: 'public' },
    'resources/list': { ttlMs: RESOURCE_LIST_TTL_MS, cacheScope: 'public' },
    'resources/read': { ttlMs: config.resultCacheTtlMs, cacheScope: 'private' },
  };
}

/**
 * Builds the per-request MCP server: the SDK's protocol server (it negotiates both eras, checks
 * every request and result against the protocol, and answers `initialize`, `ping` and
 * `server/discover`) with handlers over tables prepared once — `tools/list` answers the prepared
 * descriptions, `tools/call` hands the call to the executor, resources and prompts go to their
 * handlers (a resource read is a tool call too). Nothing is registered per tool per request, and
 * no server is ever shared between requests.
 */
@Injectable()
export class McpServerFactory {
  private readonly jsonSchemaValidator = new AjvJsonSchemaValidator();
  private toolList: ListToolsResult | undefined;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly executor: ToolExecutor,
    private readonly resources: ResourceHandlers,
    private readonly prompts: PromptHandlers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly spans: McpSpans,
  ) {
    this.options = {
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        completions: {},
      },
      jsonSchemaValidator: this.jsonSchemaValidator,
      cacheHints: cacheHints(config),
    };
  }

  private readonly options: ServerOptions;

  // The SDK keeps Server for servers that bring their own handlers, which is what this one does.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  readonly create = (context?: { requestInfo?: Request }): Server => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const server = new Server({ name: APP_NAME, version: APP_VERSION }, this.options);
    server.setRequestHandler('tools/list', () => this.listTools());
    server.setRequestHandler('tools/call', (request, ctx) => this.callTool(request, ctx));
    server.setRequestHandler('resources/list', (request) => this.resources.list(request.params?.cursor));
    server.setRequestHandler('resources/templates/list', () => this.resources.templates());
    server.setRequestHandler('resources/read', (request) => this.resources.read(request.params.uri));
    server.setRequestHandler('prompts/list', () => this.prompts.list());
    server.setRequestHandler('prompts/get', (request) => this.prompts.get(request.params.name, request.params.arguments));
    server.setRequestHandler('completion/complete', (request) => this.prompts.complete(request));
    this.spans.instrument(server, context?.requestInfo, (name) => this.registry.find(name) !== undefined);
    return server;
  };

  private listTools(): ListToolsResult {
    this.toolList ??= { tools: this.registry.list().map((tool) => this.describe(tool)) };
    return this.toolList;
  }

  private async callTool(request: CallToolRequest, ctx: ServerContext): Promise<CallToolResult> {
    const tool = this.registry.find(request.params.name);
    if (tool === undefined) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    }
    const outcome = await this.executor.execute(tool, request.params.arguments ?? {}, 'mcp');
    return withCacheHint(toCallToolResult(outcome), outcome.ok ? outcome.freshForMs : undefined, ctx);
  }

  private describe(tool: ToolDefinition): Tool {
    const schemas = this.registry.schemasOf(tool.name);
    return {
      name: tool.name,
      title: tool.title,
      description: callerDescription(tool, schemas.output, this.config.maxResultBytes),
      inputSchema: schemas.input as Tool['inputSchema'],
      outputSchema: schemas.output,
      annotations: { title: tool.title, ...tool.annotations },
      _meta: { version: tool.version },
    };
  }
}

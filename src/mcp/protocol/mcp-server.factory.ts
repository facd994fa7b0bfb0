import type { CacheHint, ServerOptions } from '@modelcontextprotocol/server';
import { PROTOCOL_VERSION_META_KEY, Server } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Inject, Injectable } from '@nestjs/common';

import { APP_NAME, APP_VERSION } from '../../app-info';
import { currentRequestContext } from '../../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { McpSpans } from '../../observability/tracing/mcp-spans';
import { ResourceCatalog } from '../catalog/resource-catalog';
import { isRestricted } from '../catalog/tool-definition';
import { ToolRegistry } from '../catalog/tool-registry';
import { PromptHandlers } from './prompt-handlers';
import { ResourceHandlers } from './resource-handlers';
import { ToolMethods } from './tool-methods';

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
  private options: ServerOptions | undefined;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly tools: ToolMethods,
    private readonly resources: ResourceHandlers,
    private readonly prompts: PromptHandlers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly spans: McpSpans,
    private readonly resourceCatalog: ResourceCatalog,
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

  /** The 2026-07-28 cache hint of a cacheable result, as the per-request server fills it in. */
  cacheHintOf(method: keyof NonNullable<ServerOptions['cacheHints']>): CacheHint | undefined {
    return this.serverOptions().cacheHints?.[method];
  }

  // The SDK keeps Server for servers that bring their own handlers, which is what this one does.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  readonly create = (context?: { requestInfo?: Request }): Server => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const server = new Server({ name: APP_NAME, version: APP_VERSION }, this.serverOptions());
    server.setRequestHandler('tools/list', () => this.tools.list());
    server.setRequestHandler('tools/call', (request, ctx) => {
      const envelope: Record<string, unknown> | undefined = ctx.mcpReq.envelope;
      const version = envelope?.[PROTOCOL_VERSION_META_KEY];
      return this.tools.call(request.params, typeof version === 'string' ? version : undefined);
    });
    server.setRequestHandler('resources/list', (request) => this.resources.list(request.params?.cursor));
    server.setRequestHandler('resources/templates/list', () => this.resources.templates(currentRequestContext()?.roles ?? []));
    server.setRequestHandler('resources/read', (request) => this.resources.read(request.params.uri));
    server.setRequestHandler('prompts/list', () => this.prompts.list());
    server.setRequestHandler('prompts/get', (request) => this.prompts.get(request.params.name, request.params.arguments));
    server.setRequestHandler('completion/complete', (request) => this.prompts.complete(request));
    this.spans.instrument(server, context?.requestInfo, this.tools.isTool);
    return server;
  };
}

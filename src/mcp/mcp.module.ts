import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';

import { ResultCacheModule } from '../cache/result-cache.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ObservabilityModule } from '../observability/observability.module';
import { TracingModule } from '../observability/tracing/tracing.module';
import { PromptCatalog } from './catalog/prompt-catalog';
import { ResourceCatalog } from './catalog/resource-catalog';
import { ToolRegistry } from './catalog/tool-registry';
import { DirectDispatch } from './protocol/direct-dispatch';
import { dnsRebindingGuards } from './protocol/dns-rebinding.guards';
import { McpHttpController } from './protocol/mcp-http.controller';
import { McpServerFactory } from './protocol/mcp-server.factory';
import { PromptHandlers } from './protocol/prompt-handlers';
import { ResourceHandlers } from './protocol/resource-handlers';
import { ToolMethods } from './protocol/tool-methods';
import { ContentMirrorController } from './rest/content-mirror.controller';
import { DocsRedirectController } from './rest/docs-redirect.controller';
import { RestMirrorController } from './rest/rest-mirror.controller';
import { ServerCardModule } from './server-card/server-card.module';
import { PromptCompletions } from './tool-call/prompt-completions';
import { ResourceReader } from './tool-call/resource-reader';
import { ALL_TOOL_CALL_STEPS, ToolPipeline } from './tool-call/tool-pipeline';

/**
 * The MCP layer: the catalog discovered from `@McpTool` methods, the tool-call pipeline, the
 * `/mcp` endpoint and the REST mirrors. It knows nothing of the domains; `prompts` is the module
 * providing the prompts it serves (`MCP_PROMPTS`).
 */
@Module({})
export class McpModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  static forRoot(prompts: Type): DynamicModule {
    return {
      module: McpModule,
      imports: [DiscoveryModule, ResultCacheModule, ObservabilityModule, TracingModule, ServerCardModule, prompts],
      controllers: [McpHttpController, RestMirrorController, ContentMirrorController, DocsRedirectController],
      providers: [
        ToolRegistry,
        ...ALL_TOOL_CALL_STEPS,
        ToolPipeline,
        ResourceCatalog,
        ResourceReader,
        ResourceHandlers,
        PromptCatalog,
        PromptCompletions,
        PromptHandlers,
        ToolMethods,
        McpServerFactory,
        DirectDispatch,
      ],
      exports: [ToolRegistry],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The card is for any page to read; it checks the Host it names itself.
    consumer
      .apply(...dnsRebindingGuards(this.config))
      .exclude('mcp/server-card')
      .forRoutes('mcp');
  }
}

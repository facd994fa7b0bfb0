import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';

import { ResultCacheModule } from '../cache/result-cache.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ToolMetricsObserver } from '../observability/tool-metrics.observer';
import { PromptsModule } from '../prompts/prompts.module';
import { ContentMirrorController } from './rest/content-mirror.controller';
import { dnsRebindingGuards } from './protocol/dns-rebinding.guards';
import { DocsRedirectController } from './rest/docs-redirect.controller';
import { McpHttpController } from './protocol/mcp-http.controller';
import { McpServerFactory } from './protocol/mcp-server.factory';
import { PromptCatalog } from './catalog/prompt-catalog';
import { PromptHandlers } from './protocol/prompt-handlers';
import { ResourceCatalog } from './catalog/resource-catalog';
import { ResourceHandlers } from './protocol/resource-handlers';
import { ResourceReader } from './tool-call/resource-reader';
import { RestMirrorController } from './rest/rest-mirror.controller';
import { ToolAuthorizer } from './tool-authorizer';
import { ToolCallLogger } from './tool-call.logger';
import { TOOL_CALL_OBSERVERS } from './tool-call-observer';
import { ToolExecutor } from './tool-executor';
import { ToolInputValidator } from './tool-call/steps/validate-input.step';
import { ToolOutputValidator } from './tool-call/steps/validate-output.step';
import { ToolRegistry } from './catalog/tool-registry';

@Module({
  imports: [DiscoveryModule, ResultCacheModule, PromptsModule],
  controllers: [McpHttpController, RestMirrorController, ContentMirrorController, DocsRedirectController],
  providers: [
    ToolRegistry,
    ToolInputValidator,
    ToolOutputValidator,
    ToolAuthorizer,
    ToolExecutor,
    ToolCallLogger,
    {
      provide: TOOL_CALL_OBSERVERS,
      useFactory: (logger: ToolCallLogger, metrics: ToolMetricsObserver) => [logger, metrics],
      inject: [ToolCallLogger, ToolMetricsObserver],
    },
    ResourceCatalog,
    ResourceReader,
    ResourceHandlers,
    PromptCatalog,
    PromptHandlers,
    McpServerFactory,
  ],
  exports: [ToolRegistry],
})
export class McpModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(...dnsRebindingGuards(this.config)).forRoutes('mcp');
  }
}

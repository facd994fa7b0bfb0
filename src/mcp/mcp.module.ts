import { hostHeaderValidation, localhostHostValidation, localhostOriginValidation, originValidation } from '@modelcontextprotocol/express';
import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { RequestHandler } from 'express';

import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ToolMetricsObserver } from '../observability/tool-metrics.observer';
import { McpHttpController } from './mcp-http.controller';
import { McpServerFactory } from './mcp-server.factory';
import { RestMirrorController } from './rest-mirror.controller';
import { ToolAuthorizer } from './tool-authorizer';
import { ToolCallLogger } from './tool-call.logger';
import { TOOL_CALL_OBSERVERS } from './tool-call-observer';
import { ToolExecutor } from './tool-executor';
import { ToolInputValidator } from './tool-input.validator';
import { ToolRegistry } from './tool-registry';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** DNS-rebinding protection for `/mcp`: the configured lists, or localhost-only on a loopback bind. */
function mcpRequestGuards(config: AppConfig): RequestHandler[] {
  const loopback = LOOPBACK_HOSTS.has(config.host);
  const guards: RequestHandler[] = [];
  if (config.mcpAllowedHosts.length > 0) {
    guards.push(hostHeaderValidation([...config.mcpAllowedHosts]));
  } else if (loopback) {
    guards.push(localhostHostValidation());
  }
  if (config.mcpAllowedOrigins.length > 0) {
    guards.push(originValidation([...config.mcpAllowedOrigins]));
  } else {
    // Without a list, only localhost pages (on a loopback bind) or callers sending no Origin get through.
    guards.push(loopback ? localhostOriginValidation() : originValidation([]));
  }
  return guards;
}

@Module({
  imports: [DiscoveryModule],
  controllers: [McpHttpController, RestMirrorController],
  providers: [
    ToolRegistry,
    ToolInputValidator,
    ToolAuthorizer,
    ToolExecutor,
    ToolCallLogger,
    {
      provide: TOOL_CALL_OBSERVERS,
      useFactory: (logger: ToolCallLogger, metrics: ToolMetricsObserver) => [logger, metrics],
      inject: [ToolCallLogger, ToolMetricsObserver],
    },
    McpServerFactory,
  ],
  exports: [ToolRegistry],
})
export class McpModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(...mcpRequestGuards(this.config)).forRoutes('mcp');
  }
}

import { Inject, Logger, type MiddlewareConsumer, Module, type NestModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { httpServerSpans } from './http-server-spans';
import { McpSpans } from './mcp-spans';
import { McpOperationMetrics, startOperationMetrics } from './operation-metrics';
import { RetrievalSpans } from './retrieval-spans';
import { SqlSpans } from './sql-spans';
import { startTracing } from './tracer-provider';
import { Tracing } from './tracing';
import { UpstreamSpans } from './upstream-spans';

/**
 * OpenTelemetry tracing, started with the app when an OTLP endpoint is configured and flushed when
 * it shuts down (with the MCP operation-duration histogram, exported to the same collector): HTTP server spans on the API routes, and the span sites the MCP layer, the
 * squad-api client and the database gateway call. Off, nothing of the SDK is started.
 */
@Module({
  providers: [
    { provide: Tracing, useFactory: (config: AppConfig) => (config.tracing === undefined ? Tracing.off : startTracing(config.tracing)), inject: [APP_CONFIG] },
    {
      provide: McpOperationMetrics,
      useFactory: (config: AppConfig) => (config.tracing === undefined ? McpOperationMetrics.off : startOperationMetrics(config.tracing)),
      inject: [APP_CONFIG],
    },
    McpSpans,
    UpstreamSpans,
    SqlSpans,
    RetrievalSpans,
  ],
  exports: [Tracing, McpSpans, UpstreamSpans, SqlSpans, RetrievalSpans],
})
export class TracingModule implements NestModule, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Tracing');

  constructor(
    @Inject(Tracing) private readonly tracing: Tracing,
    @Inject(McpOperationMetrics) private readonly operationMetrics: McpOperationMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const tracing = this.config.tracing;
    if (tracing !== undefined) {
      // The origin only: a URL may carry credentials, and headers are never logged.
      const collector = new URL(tracing.tracesUrl).origin;
      this.logger.log({ event: 'tracing_started', collector, service_name: tracing.serviceName, sampler: tracing.sampler }, `Tracing on: spans to ${collector}`);
    }
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.tracing.enabled) {
      consumer.apply(httpServerSpans(this.tracing)).forRoutes('mcp', 'v1/*path');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.tracing.stop(), this.operationMetrics.stop()]);
  }
}

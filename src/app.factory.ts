import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoRootLogger } from 'pino';

import { AppModule } from './app.module';
import { APP_VERSION } from './app-info';
import { requestContextMiddleware } from './common/context/request-context.middleware';
import type { AppConfig } from './config/app-config';
import { buildOpenApiDocument, toolSchemasFrom } from './mcp/openapi-document';
import { ToolRegistry } from './mcp/tool-registry';
import { httpMetricsMiddleware } from './observability/http-metrics.middleware';
import { Metrics } from './observability/metrics';
import { createRootLogger } from './observability/root-logger';

export const BODY_LIMIT = '100kb';

export interface CreateAppOptions {
  /** The process's root logger; one writing JSON lines to stdout at LOG_LEVEL when omitted. */
  readonly logger?: PinoRootLogger;
}

/**
 * Builds the whole application for a validated configuration: body parsing, request
 * context, the tool catalog's schemas, and `/docs`. Used by `main.ts` and by the tests.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const rootLogger = options.logger ?? createRootLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, rootLogger), {
    bodyParser: false,
    abortOnError: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.set('x-powered-by', false);
  app.set('trust proxy', false);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(requestContextMiddleware);

  const registry = app.get(ToolRegistry);
  const document = buildOpenApiDocument(app, registry, APP_VERSION);
  registry.bindSchemas(toolSchemasFrom(document, registry.list()));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'squad-mcp tools',
    swaggerOptions: { persistAuthorization: true },
  });
  await app.init();
  return app;
}

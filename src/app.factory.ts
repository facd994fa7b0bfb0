import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';

import { AppModule } from './app.module';
import { APP_VERSION } from './app-info';
import { requestContextMiddleware } from './common/context/request-context.middleware';
import type { AppConfig } from './config/app-config';
import { buildOpenApiDocument, toolSchemasFrom } from './mcp/openapi-document';
import { ToolRegistry } from './mcp/tool-registry';

export const BODY_LIMIT = '100kb';

const NEST_LEVELS: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
const FIRST_LEVEL: Readonly<Record<AppConfig['logLevel'], LogLevel>> = {
  trace: 'verbose',
  debug: 'debug',
  info: 'log',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/** The Nest log levels at and above the configured one. */
export function logLevelsFor(level: AppConfig['logLevel']): LogLevel[] {
  return NEST_LEVELS.slice(NEST_LEVELS.indexOf(FIRST_LEVEL[level]));
}

export interface CreateAppOptions {
  readonly logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds the whole application for a validated configuration: body parsing, request
 * context, the tool catalog's schemas, and `/docs`. Used by `main.ts` and by the tests.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    abortOnError: false,
    logger: options.logger ?? logLevelsFor(config.logLevel),
  });
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

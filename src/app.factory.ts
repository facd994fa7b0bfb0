import { AsyncResource } from 'node:async_hooks';

import type { CanActivate, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cors from 'cors';
import type { Request, RequestHandler } from 'express';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoRootLogger } from 'pino';

import { AppModule } from './app.module';
import { APP_VERSION } from './app-info';
import { ApiKeyStore } from './auth/api-key.store';
import { AuditTrail } from './auth/audit-trail';
import { keyHint } from './auth/key-hint';
import type { SecretSource } from './auth/secrets.service';
import { GLOBAL_GUARDS } from './auth/security.module';
import type { Clock } from './common/clock';
import { requestContextMiddleware } from './common/context/request-context.middleware';
import { ErrorCode } from './common/errors/error-code';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { FixedRoute } from './common/http/fixed-route';
import { jsonBody } from './common/http/json-body';
import { requireJsonBody, requireOriginFormTarget } from './common/http/request-edge';
import { boundRequestTime, type RequestTimeBounds, withinRequestTime } from './common/http/request-time';
import { securityHeaders } from './common/http/security-headers';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { GracefulShutdown } from './lifecycle/graceful-shutdown';
import { PromptCatalog } from './mcp/catalog/prompt-catalog';
import { ResourceCatalog } from './mcp/catalog/resource-catalog';
import { ToolRegistry } from './mcp/catalog/tool-registry';
import { dnsRebindingGuards } from './mcp/protocol/dns-rebinding.guards';
import { McpHttpController } from './mcp/protocol/mcp-http.controller';
import { isStatelessToolRequest } from './mcp/protocol/stateless-tool-request';
import { addContentMirrors } from './mcp/rest/content-openapi';
import { buildOpenApiDocument, toolSchemasFrom } from './mcp/rest/openapi-document';
import { FrameworkChatterAtDebug } from './observability/framework-chatter';
import { httpMetricsMiddleware } from './observability/http-metrics.middleware';
import { Metrics } from './observability/metrics';
import { createRootLogger } from './observability/root-logger';

export const BODY_LIMIT_BYTES = 100 * 1024;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * The body parser continues the chain from its stream callbacks, which carry no async-local
 * context; binding `next` where the parser is entered keeps the request's context for the rest.
 */
function keepingRequestContext(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    parser(req, res, AsyncResource.bind(next));
  };
}

const BEARER = /^Bearer (\S+)$/;
const TOKEN_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Whether a request carries credentials worth waiting for its body: a known key, or (with tokens
 * on) something shaped like a token. The guard decides for real once the body is in.
 */
function carriesCredentials(keys: ApiKeyStore, tokensOn: boolean): (req: Request) => boolean {
  return (req) => {
    const credential = BEARER.exec(req.headers.authorization ?? '')?.[1];
    return credential !== undefined && ((tokensOn && TOKEN_SHAPE.test(credential)) || keys.identifyFor(req, credential) !== undefined);
  };
}

function requestTimeBounds(config: AppConfig): RequestTimeBounds {
  return { credentialedMs: config.requestTimeoutMs, unauthenticatedMs: config.unauthenticatedRequestTimeoutMs };
}

/** Without an environment file, a reload re-reads only the keys file named in the configuration. */
function secretsFromConfig(config: AppConfig): SecretSource {
  const { primary, secondary, admin, file } = config.keys;
  return {
    envFile: undefined,
    baseEnv: { API_KEY_PRIMARY: primary, API_KEY_SECONDARY: secondary, ADMIN_API_KEY: admin, API_KEYS_FILE: file },
  };
}

export interface CreateAppOptions {
  /** The process's root logger; one writing JSON lines to stdout at LOG_LEVEL when omitted. */
  readonly logger?: PinoRootLogger;
  /** Where `POST /admin/reload-secrets` re-reads keys from; by default only API_KEYS_FILE is re-read. */
  readonly secrets?: SecretSource;
  /** Where rate limits read the time; the system clock when omitted. */
  readonly clock?: Clock;
  /** Modules added to the application, e.g. tools that only a test declares. */
  readonly modules?: readonly Type[];
}

/**
 * Builds the whole application for a validated configuration: body parsing, request
 * context, the tool catalog's schemas, and `/docs`. Used by `main.ts` and by the tests.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const rootLogger = options.logger ?? createRootLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, rootLogger, options.secrets ?? secretsFromConfig(config), options.clock, options.modules), {
    bodyParser: false,
    abortOnError: false,
    bufferLogs: true,
  });
  app.useLogger(new FrameworkChatterAtDebug(app.get(Logger)));
  app.set('x-powered-by', false);
  // The client address (rate limits on refused keys, audit) comes from X-Forwarded-For only across the configured hops.
  app.set('trust proxy', config.trustProxy === 0 ? false : config.trustProxy);
  const edge = edgeMiddleware(app, config);
  for (const step of edge) {
    app.use(step);
  }

  const registry = app.get(ToolRegistry);
  // The 401 examples carry the hint a refused caller reads from this server.
  const suggestions = { [ErrorCode.Unauthorized]: [keyHint(config)] };
  const document = buildOpenApiDocument(app, registry, APP_VERSION, { maxResultBytes: config.maxResultBytes, suggestions });
  registry.bindSchemas(toolSchemasFrom(document, registry.list()));
  addContentMirrors(document, app.get(ResourceCatalog), app.get(PromptCatalog), suggestions);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'squad-mcp tools',
    swaggerOptions: { persistAuthorization: true },
  });
  // Outlive the idle timeouts of load balancers and clients, so a reused connection is never cut mid-request.
  const server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Slow senders never hold a connection: headers and bodies arrive within their bounds or are refused.
  boundRequestTime(server, requestTimeBounds(config));
  await app.init();
  if (config.mcpDirectDispatch && config.tracing === undefined) {
    serveStatelessToolRequestsDirectly(app, edge);
  }
  return app;
}

/**
 * The application's own middleware, in order, for every request: in-flight tracking, metrics, the
 * request's context and audit event (first, so every refusal below is logged and audited),
 * security headers, CORS, the request target, the media type and the bounded body parser.
 */
function edgeMiddleware(app: NestExpressApplication, config: AppConfig): RequestHandler[] {
  const timeBounds = requestTimeBounds(config);
  const credentialed = carriesCredentials(app.get(ApiKeyStore), config.tokens !== undefined);
  return [
    app.get(GracefulShutdown).track,
    httpMetricsMiddleware(app.get(Metrics)),
    requestContextMiddleware,
    app.get(AuditTrail).middleware,
    securityHeaders,
    ...(config.corsOrigins.length > 0
      ? [
          cors({
            origin: [...config.corsOrigins],
            methods: ['GET', 'POST'],
            allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-ID', 'X-User-ID', 'Mcp-Protocol-Version'],
            exposedHeaders: ['X-Request-ID', 'WWW-Authenticate', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
            maxAge: 600,
          }),
        ]
      : []),
    requireOriginFormTarget,
    requireJsonBody,
    withinRequestTime(keepingRequestContext(jsonBody(BODY_LIMIT_BYTES)), timeBounds, credentialed),
  ];
}

/**
 * 2026-07-28 `tools/call` and `tools/list` POSTs to `/mcp`, nearly all traffic, cross the same
 * steps as through the routers (see FixedRoute), called directly. With tracing on, every request
 * takes the routers, where the server span wraps the whole request.
 */
function serveStatelessToolRequestsDirectly(app: NestExpressApplication, edge: readonly RequestHandler[]): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const controller = app.get(McpHttpController);
  const route = new FixedRoute(app.getHttpAdapter().getInstance(), 'POST', '/mcp', isStatelessToolRequest, {
    edge,
    routeMiddleware: dnsRebindingGuards(config),
    guards: GLOBAL_GUARDS.map((guard) => app.get<CanActivate>(guard)),
    controllerClass: McpHttpController,
    controller,
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called on the controller by FixedRoute, as Nest does
    handler: McpHttpController.prototype.handle,
    filter: app.get(HttpExceptionFilter),
  });
  route.mount(app.getHttpServer());
}

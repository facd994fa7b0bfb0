import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import type { Logger } from 'pino';

import { SECRET_SOURCE, type SecretSource } from './auth/secrets.service';
import { SecurityModule } from './auth/security.module';
import { CLOCK, type Clock, systemClock } from './common/clock';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { DocumentsModule } from './documents/documents.module';
import { EventsModule } from './domains/events/events.module';
import { FieldsModule } from './domains/fields/fields.module';
import { MatchesModule } from './domains/matches/matches.module';
import { PlayersModule } from './domains/players/players.module';
import { SquadsModule } from './domains/squads/squads.module';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { McpModule } from './mcp/mcp.module';
import { LoggingModule } from './observability/logging.module';
import { ObservabilityModule } from './observability/observability.module';
import { TracingModule } from './observability/tracing/tracing.module';
import { UpstreamModule } from './upstream/upstream.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger, secrets: SecretSource, clock: Clock = systemClock): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        // The request context's store; its middleware is mounted in createApp, around body parsing.
        ClsModule.forRoot({ global: true }),
        LoggingModule.forRoot(logger),
        ObservabilityModule,
        TracingModule,
        SecurityModule,
        LifecycleModule,
        HealthModule,
        DatabaseModule, UpstreamModule, McpModule, PlayersModule, SquadsModule, EventsModule, MatchesModule, FieldsModule,
        ...(config.enableRag ? [DocumentsModule] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SECRET_SOURCE, useValue: secrets },
        { provide: CLOCK, useValue: clock },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
      exports: [APP_CONFIG, SECRET_SOURCE, CLOCK],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';

import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyStore } from './auth/api-key.store';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './domains/events/events.module';
import { MatchesModule } from './domains/matches/matches.module';
import { PlayersModule } from './domains/players/players.module';
import { SquadsModule } from './domains/squads/squads.module';
import { HealthModule } from './health/health.module';
import { McpModule } from './mcp/mcp.module';
import { LoggingModule } from './observability/logging.module';
import { ObservabilityModule } from './observability/observability.module';
import { UpstreamModule } from './upstream/upstream.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggingModule.forRoot(logger),
        ObservabilityModule,
        HealthModule,
        DatabaseModule, UpstreamModule, McpModule, PlayersModule, SquadsModule, EventsModule, MatchesModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        ApiKeyStore,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
      exports: [APP_CONFIG],
    };
  }
}

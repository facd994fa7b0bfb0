import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';

import { SECRET_SOURCE, type SecretSource } from './auth/secrets.service';
import { SecurityModule } from './auth/security.module';
import { CLOCK, type Clock, systemClock } from './common/clock';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DocumentsModule } from './documents/documents.module';
import { EventsModule } from './domains/events/events.module';
import { FieldsModule } from './domains/fields/fields.module';
import { MatchesModule } from './domains/matches/matches.module';
import { PlayersModule } from './domains/players/players.module';
import { SquadsModule } from './domains/squads/squads.module';
import { HealthModule } from './health/health.module';
import { McpModule } from './mcp/mcp.module';
import { LoggingModule } from './observability/logging.module';
import { ROOT_LOGGER } from './observability/root-logger';
import { PromptsModule } from './prompts/prompts.module';

/**
 * The application. Global are only what every module reads: the configuration, the secrets'
 * source and the clock (here), and logging; every other module imports what it uses.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger, secrets: SecretSource, clock: Clock = systemClock, extraModules: readonly Type[] = []): DynamicModule {
    const documents = config.enableRag ? [DocumentsModule] : [];
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggingModule.forRoot(logger),
        SecurityModule,
        HealthModule.forRoot(documents),
        McpModule.forRoot(PromptsModule),
        PlayersModule,
        SquadsModule,
        EventsModule,
        MatchesModule,
        FieldsModule,
        ...documents,
        ...extraModules,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SECRET_SOURCE, useValue: secrets },
        { provide: CLOCK, useValue: clock },
        { provide: ROOT_LOGGER, useValue: logger },
        HttpExceptionFilter,
        { provide: APP_FILTER, useExisting: HttpExceptionFilter },
      ],
      exports: [APP_CONFIG, SECRET_SOURCE, CLOCK, ROOT_LOGGER],
    };
  }
}

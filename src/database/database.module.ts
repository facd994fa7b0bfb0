import { Module } from '@nestjs/common';

import { ObservabilityModule } from '../observability/observability.module';
import { TracingModule } from '../observability/tracing/tracing.module';
import { ReadOnlyGateway } from './read-only-gateway';
import { SqlBuilder } from './sql-builder';

/** The one read-only way into the squad database, for the domains, documents and health. */
@Module({
  imports: [ObservabilityModule, TracingModule],
  providers: [ReadOnlyGateway, { provide: SqlBuilder, useFactory: () => SqlBuilder.create() }],
  exports: [ReadOnlyGateway, SqlBuilder],
})
export class DatabaseModule {}

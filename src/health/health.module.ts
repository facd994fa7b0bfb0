import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { RateLimitStorageModule } from '../auth/rate-limit-storage.module';
import { DatabaseModule } from '../database/database.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** `/health`, `/health/live` and `/health/ready`; `reporting` are the optional modules it reports on when they are loaded. */
@Module({})
export class HealthModule {
  static forRoot(reporting: readonly Type[] = []): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule, DatabaseModule, UpstreamModule, RateLimitStorageModule, LifecycleModule, ...reporting],
      controllers: [HealthController],
      providers: [HealthService],
      exports: [],
    };
  }
}

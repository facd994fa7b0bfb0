import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';

import { currentRequestContext } from '../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ObservabilityModule } from '../observability/observability.module';
import { AdminController } from './admin.controller';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStore } from './api-key.store';
import { AuditTrail } from './audit-trail';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { ProtectedResourceController } from './protected-resource.controller';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitStorage } from './rate-limit.storage';
import { RateLimitStorageModule } from './rate-limit-storage.module';
import { SecretsService } from './secrets.service';
import { TokenAuthentication } from './token-authentication';

const WINDOW_MS = 60_000;

/** Authentication, roles, per-key rate limits and secret rotation. The guards run in this order. */
/** The guards of every route, in the order they run: authentication first, so the rate limit charges the caller it established. */
export const GLOBAL_GUARDS = [ApiKeyGuard, RateLimitGuard] as const;

@Module({
  imports: [
    ObservabilityModule,
    RateLimitStorageModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [APP_CONFIG, RateLimitStorage],
      useFactory: (config: AppConfig, storage: RateLimitStorage) => ({
        throttlers: [{ name: 'default', ttl: WINDOW_MS, limit: () => currentRequestContext()?.rateLimitRpm ?? config.rateLimitRpm }],
        storage,
      }),
    }),
  ],
  controllers: [AdminController, ProtectedResourceController],
  providers: [
    ApiKeyStore,
    AuditTrail,
    AuthFailureThrottle,
    SecretsService,
    TokenAuthentication,
    ...GLOBAL_GUARDS,
    ...GLOBAL_GUARDS.map((guard) => ({ provide: APP_GUARD, useExisting: guard })),
  ],
  exports: [AuditTrail, ...GLOBAL_GUARDS],
})
export class SecurityModule {}

import { Module } from '@nestjs/common';

import { RateLimitStorage } from './rate-limit.storage';

/** Holds the one rate-limit storage, shared by the throttler and the health report. */
@Module({ providers: [RateLimitStorage], exports: [RateLimitStorage] })
export class RateLimitStorageModule {}

import { Module } from '@nestjs/common';

import { RateLimitStorageModule } from '../../auth/rate-limit-storage.module';
import { AddressThrottleGuard } from './address-throttle.guard';
import { ServerCardController } from './server-card.controller';

/** The Server Card extension: the card at `/mcp/server-card`, limited per address. */
@Module({
  imports: [RateLimitStorageModule],
  controllers: [ServerCardController],
  providers: [AddressThrottleGuard],
  exports: [],
})
export class ServerCardModule {}

import { Module } from '@nestjs/common';

import { DatabaseModule } from '../../database/database.module';
import { UpstreamModule } from '../../upstream/upstream.module';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { EventsTools } from './events.tools';
import { EventsUpstream } from './events.upstream';

/** The events tools, over the squad database and squad-api. */
@Module({
  imports: [DatabaseModule, UpstreamModule],
  providers: [EventsRepository, EventsUpstream, EventsService, EventsTools],
  exports: [EventsService],
})
export class EventsModule {}

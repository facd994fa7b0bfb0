import { Module } from '@nestjs/common';

import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { EventsTools } from './events.tools';
import { EventsUpstream } from './events.upstream';

@Module({
  providers: [EventsRepository, EventsUpstream, EventsService, EventsTools],
  exports: [],
})
export class EventsModule {}

import { Module } from '@nestjs/common';

import { DatabaseModule } from '../../database/database.module';
import { UpstreamModule } from '../../upstream/upstream.module';
import { SquadsRepository } from './squads.repository';
import { SquadsService } from './squads.service';
import { SquadsTools } from './squads.tools';
import { SquadsUpstream } from './squads.upstream';

/** The squads tools, over the squad database and squad-api. */
@Module({
  imports: [DatabaseModule, UpstreamModule],
  providers: [SquadsRepository, SquadsUpstream, SquadsService, SquadsTools],
  exports: [SquadsService],
})
export class SquadsModule {}

import { Module } from '@nestjs/common';

import { SquadsRepository } from './squads.repository';
import { SquadsService } from './squads.service';
import { SquadsTools } from './squads.tools';
import { SquadsUpstream } from './squads.upstream';

@Module({
  providers: [SquadsRepository, SquadsUpstream, SquadsService, SquadsTools],
  exports: [],
})
export class SquadsModule {}

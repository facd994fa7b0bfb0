import { Module } from '@nestjs/common';

import { DatabaseModule } from '../../database/database.module';
import { UpstreamModule } from '../../upstream/upstream.module';
import { MatchesRepository } from './matches.repository';
import { MatchesService } from './matches.service';
import { MatchesTools } from './matches.tools';
import { MatchesUpstream } from './matches.upstream';

/** The matches tools, over the squad database and squad-api. */
@Module({
  imports: [DatabaseModule, UpstreamModule],
  providers: [MatchesRepository, MatchesUpstream, MatchesService, MatchesTools],
  exports: [MatchesService],
})
export class MatchesModule {}

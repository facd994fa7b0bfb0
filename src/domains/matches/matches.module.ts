import { Module } from '@nestjs/common';

import { MatchesRepository } from './matches.repository';
import { MatchesService } from './matches.service';
import { MatchesTools } from './matches.tools';
import { MatchesUpstream } from './matches.upstream';

@Module({
  providers: [MatchesRepository, MatchesUpstream, MatchesService, MatchesTools],
  exports: [],
})
export class MatchesModule {}

import { Module } from '@nestjs/common';

import { PlayersRepository } from './players.repository';
import { PlayersService } from './players.service';
import { PlayersTools } from './players.tools';
import { PlayersUpstream } from './players.upstream';

@Module({
  providers: [PlayersRepository, PlayersUpstream, PlayersService, PlayersTools],
  exports: [],
})
export class PlayersModule {}

import { Module } from '@nestjs/common';

import { DatabaseModule } from '../../database/database.module';
import { UpstreamModule } from '../../upstream/upstream.module';
import { PlayersRepository } from './players.repository';
import { PlayersService } from './players.service';
import { PlayersTools } from './players.tools';
import { PlayersUpstream } from './players.upstream';

/** The players tools, over the squad database and squad-api. */
@Module({
  imports: [DatabaseModule, UpstreamModule],
  providers: [PlayersRepository, PlayersUpstream, PlayersService, PlayersTools],
  exports: [PlayersService],
})
export class PlayersModule {}

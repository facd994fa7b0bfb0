import { Injectable } from '@nestjs/common';

import { askedFor, contractParser, ownId } from '../../upstream/squad-api.contract';
import type { Player as PlayerResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

const parsePlayer = contractParser('Player');

/** The only place the players domain calls squad-api. */
@Injectable()
export class PlayersUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getPlayer(playerId: number): Promise<PlayerResource | undefined> {
    return this.http.getJson(['api', 'players', playerId], askedFor(parsePlayer, 'Player', playerId, ownId));
  }
}

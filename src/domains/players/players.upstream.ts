import { Injectable } from '@nestjs/common';

import type { Player as PlayerResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

/** The only place the players domain calls squad-api. */
@Injectable()
export class PlayersUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getPlayer(playerId: number): Promise<PlayerResource | undefined> {
    return this.http.getJson<PlayerResource>(['api', 'players', playerId]);
  }
}

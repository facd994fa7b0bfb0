import { Injectable } from '@nestjs/common';

import { UpstreamHttp } from '../../upstream/upstream-http';
import type { PlayerPosition } from './entities/player.entity';

/** A player as squad-api returns it (`GET /api/players/{id}`). */
export interface PlayerResource {
  id: number;
  callsign: string;
  display_name: string;
  email: string;
  region: string;
  home_field_id: number | null;
  position: PlayerPosition;
  skill_rating: number;
  created_at: string;
}

/** The only place the players domain calls squad-api. */
@Injectable()
export class PlayersUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getPlayer(playerId: number): Promise<PlayerResource | undefined> {
    return this.http.getJson<PlayerResource>(['api', 'players', playerId]);
  }
}

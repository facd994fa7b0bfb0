import { Injectable } from '@nestjs/common';

import type { Match as MatchResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

/** The only place the matches domain calls squad-api. */
@Injectable()
export class MatchesUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getMatch(matchId: number): Promise<MatchResource | undefined> {
    return this.http.getJson<MatchResource>(['api', 'matches', matchId]);
  }
}

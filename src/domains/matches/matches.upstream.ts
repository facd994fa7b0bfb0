import { Injectable } from '@nestjs/common';

import { askedFor, contractParser } from '../../upstream/squad-api.contract';
import type { Match as MatchResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

const parseMatch = contractParser('Match');

/** The only place the matches domain calls squad-api. */
@Injectable()
export class MatchesUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getMatch(matchId: number): Promise<MatchResource | undefined> {
    return this.http.getJson(['api', 'matches', matchId], askedFor(parseMatch, 'Match', matchId, (match) => [match.id, ...match.player_stats.map((line) => line.match_id)]));
  }
}

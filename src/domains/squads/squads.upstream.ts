import { Injectable } from '@nestjs/common';

import type { Squad as SquadResource, SquadMember as SquadMemberResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

/** The only place the squads domain calls squad-api. */
@Injectable()
export class SquadsUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getSquad(squadId: number): Promise<SquadResource | undefined> {
    return this.http.getJson<SquadResource>(['api', 'squads', squadId]);
  }

  /** Every membership, current and former; undefined when squad-api does not know the squad. */
  getSquadMembers(squadId: number): Promise<SquadMemberResource[] | undefined> {
    return this.http.getJson<SquadMemberResource[]>(['api', 'squads', squadId, 'members']);
  }
}

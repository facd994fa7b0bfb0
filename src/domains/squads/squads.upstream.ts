import { Injectable } from '@nestjs/common';

import { askedFor, contractListParser, contractParser, ownId } from '../../upstream/squad-api.contract';
import type { Squad as SquadResource, SquadMember as SquadMemberResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

const parseSquad = contractParser('Squad');
const parseSquadMembers = contractListParser('SquadMember');

/** The only place the squads domain calls squad-api. */
@Injectable()
export class SquadsUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getSquad(squadId: number): Promise<SquadResource | undefined> {
    return this.http.getJson(['api', 'squads', squadId], askedFor(parseSquad, 'Squad', squadId, ownId));
  }

  /** Every membership, current and former; undefined when squad-api does not know the squad. */
  getSquadMembers(squadId: number): Promise<SquadMemberResource[] | undefined> {
    return this.http.getJson(['api', 'squads', squadId, 'members'], askedFor(parseSquadMembers, 'SquadMember list', squadId, (members) => members.map((member) => member.squad_id)));
  }
}

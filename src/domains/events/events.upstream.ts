import { Injectable } from '@nestjs/common';

import type { Event as EventResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

/** The only place the events domain calls squad-api. */
@Injectable()
export class EventsUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getEvent(eventId: number): Promise<EventResource | undefined> {
    return this.http.getJson<EventResource>(['api', 'events', eventId]);
  }
}

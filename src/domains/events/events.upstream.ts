import { Injectable } from '@nestjs/common';

import { askedFor, contractParser, ownId } from '../../upstream/squad-api.contract';
import type { Event as EventResource } from '../../upstream/squad-api.types';
import { UpstreamHttp } from '../../upstream/upstream-http';

const parseEvent = contractParser('Event');

/** The only place the events domain calls squad-api. */
@Injectable()
export class EventsUpstream {
  constructor(private readonly http: UpstreamHttp) {}

  getEvent(eventId: number): Promise<EventResource | undefined> {
    return this.http.getJson(['api', 'events', eventId], askedFor(parseEvent, 'Event', eventId, ownId));
  }
}

import { SquadEvent } from '../domains/events/entities/event.entity';
import { EventRsvp } from '../domains/events/entities/event-rsvp.entity';
import { Field } from '../domains/events/entities/field.entity';
import { Match } from '../domains/matches/entities/match.entity';
import { MatchPlayerStat } from '../domains/matches/entities/match-player-stat.entity';
import { Player } from '../domains/players/entities/player.entity';
import { Squad } from '../domains/squads/entities/squad.entity';
import { SquadMember } from '../domains/squads/entities/squad-member.entity';

/** Every entity the SQL tools query; the only place table and column names are written. */
export const ENTITIES = [Field, Player, Squad, SquadMember, SquadEvent, EventRsvp, Match, MatchPlayerStat];

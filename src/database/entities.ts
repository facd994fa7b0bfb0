import { Match } from '../domains/matches/entities/match.entity';
import { MatchPlayerStat } from '../domains/matches/entities/match-player-stat.entity';
import { Player } from '../domains/players/entities/player.entity';

/** Every entity the SQL tools query; the only place table and column names are written. */
export const ENTITIES = [Player, Match, MatchPlayerStat];

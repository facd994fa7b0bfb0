import { Injectable } from '@nestjs/common';

import { type Page, toPage } from '../../common/dto/pagination';
import { AppError } from '../../common/errors/app-error';
import { containsPattern, timeRange } from '../../common/util/time-range';
import type { ListPlayerMatchesInput, PlayerMatchLine } from './dto/player-matches.dto';
import type { PlayerProfile } from './dto/player-profile.dto';
import type { GetPlayerStatsInput, PlayerStats } from './dto/player-stats.dto';
import type { PlayerSummary, SearchPlayersInput } from './dto/search-players.dto';
import { PlayersRepository } from './players.repository';
import { PlayersUpstream } from './players.upstream';

const FIND_PLAYER_HINT = "Use search_players to find a player's id";

const playerNotFound = (playerId: number): AppError => AppError.notFound(`Player ${playerId} not found`, FIND_PLAYER_HINT);

@Injectable()
export class PlayersService {
  constructor(
    private readonly repository: PlayersRepository,
    private readonly upstream: PlayersUpstream,
  ) {}

  async getPlayer(playerId: number): Promise<PlayerProfile> {
    const player = await this.upstream.getPlayer(playerId);
    if (player === undefined) {
      throw playerNotFound(playerId);
    }
    return {
      id: player.id,
      callsign: player.callsign,
      display_name: player.display_name,
      region: player.region,
      position: player.position,
      skill_rating: player.skill_rating,
      home_field_id: player.home_field_id,
      created_at: new Date(player.created_at).toISOString(),
      email: player.email,
    };
  }

  async searchPlayers(input: SearchPlayersInput): Promise<Page<PlayerSummary>> {
    const filter = { pattern: containsPattern(input.query), region: input.region ?? null, position: input.position ?? null };
    const { rows, total } = await this.repository.search(filter, input.limit, input.offset);
    return toPage(rows, total, input);
  }

  async getPlayerStats(input: GetPlayerStatsInput): Promise<PlayerStats> {
    const { since, until } = timeRange(input.since, input.until);
    const stats = await this.repository.stats(input.player_id, since, until);
    if (stats === undefined) {
      throw playerNotFound(input.player_id);
    }
    return stats;
  }

  async listPlayerMatches(input: ListPlayerMatchesInput): Promise<Page<PlayerMatchLine>> {
    const result = await this.repository.matches(input.player_id, input.limit, input.offset);
    if (result === undefined) {
      throw playerNotFound(input.player_id);
    }
    const items = result.rows.map((row) => ({ ...row, played_at: row.played_at.toISOString() }));
    return toPage(items, result.total, input);
  }
}

import { IdField, IntField, NumberField, TextField } from '../../../common/dto/fields';
import { PageOf } from '../../../common/dto/pagination';
import { RankingFilterInput } from './leaderboard.dto';

export class GetSquadRankingsInput extends RankingFilterInput {}

export class SquadRanking {
  @IntField({ description: 'Position in the whole ranking, from 1 (a page at offset N starts at N + 1)', min: 1, example: 1 })
  rank!: number;

  @IdField({ description: "The squad's id", example: 4 })
  id!: number;

  @TextField({ description: 'Squad name', maxLength: 128, example: 'Backwoods Ravens' })
  name!: string;

  @TextField({ description: 'Short tag, 2–5 characters', maxLength: 5, example: 'BR' })
  tag!: string;

  @TextField({ description: 'Home region', maxLength: 64, example: 'Midwest' })
  region!: string;

  @IntField({ description: 'Final matches played within the range', min: 1, example: 24 })
  matches_played!: number;

  @IntField({ description: 'Matches won', min: 0, example: 15 })
  wins!: number;

  @IntField({ description: 'Matches lost', min: 0, example: 7 })
  losses!: number;

  @IntField({ description: 'Drawn matches', min: 0, example: 2 })
  draws!: number;

  @NumberField({ description: 'wins ÷ matches_played, 0–1, 3 decimals', example: 0.625 })
  win_rate!: number;

  @IntField({ description: 'Points scored', min: 0, example: 41 })
  points_for!: number;

  @IntField({ description: 'Points conceded', min: 0, example: 27 })
  points_against!: number;
}

export const SquadRankingPage = PageOf(() => SquadRanking, 'SquadRankingPage');

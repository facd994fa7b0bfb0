import { DateInputField, EnumField, IdField, IntField, NumberField, TextField } from '../../../common/dto/fields';
import { PageInput, PageOf } from '../../../common/dto/pagination';

export const LEADERBOARD_METRICS = ['eliminations', 'elimination_ratio', 'wins', 'flag_captures'] as const;
export type LeaderboardMetric = (typeof LEADERBOARD_METRICS)[number];

export const MAX_MIN_MATCHES = 1000;

/** The filters shared by the two ranking tools. */
export class RankingFilterInput extends PageInput {
  @TextField({ description: 'Region, any case (list_regions names them)', minLength: 1, maxLength: 64, optional: true, example: 'Pacific Northwest' })
  region?: string;

  @DateInputField({ description: 'From (inclusive): ISO 8601 date or date-time', optional: true, example: '2026-01-01' })
  since?: Date;

  @DateInputField({ description: 'Until (exclusive): ISO 8601 date or date-time', optional: true, example: '2026-12-31T23:59:59Z' })
  until?: Date;

  @IntField({
    description: 'Leave out entries with fewer final matches',
    min: 1,
    max: MAX_MIN_MATCHES,
    optional: true,
    default: 1,
    example: 5,
  })
  min_matches: number = 1;
}

export class GetLeaderboardInput extends RankingFilterInput {
  @EnumField(LEADERBOARD_METRICS, { description: 'What to rank players by', example: 'eliminations' })
  metric!: LeaderboardMetric;
}

export class LeaderboardEntry {
  @IntField({ description: 'Position in the whole ranking, from 1 (a page at offset N starts at N + 1)', min: 1, example: 1 })
  rank!: number;

  @IdField({ description: "The player's id", example: 42 })
  id!: number;

  @TextField({ description: 'Unique handle', maxLength: 64, example: 'NightOtter' })
  callsign!: string;

  @TextField({ description: 'Name shown in the app', maxLength: 128, example: 'Robin Carter' })
  display_name!: string;

  @TextField({ description: 'Home region', maxLength: 64, example: 'Pacific Northwest' })
  region!: string;

  @IntField({ description: 'Final matches the player has a stat line in, within the range', min: 1, example: 37 })
  matches_played!: number;

  @NumberField({
    description:
      "The metric's value: total eliminations, flag captures or wins (matches the player's side won), or " +
      'eliminations ÷ max(times eliminated, 1) rounded to 3 decimals',
    example: 88,
  })
  value!: number;
}

export const LeaderboardPage = PageOf(() => LeaderboardEntry, 'LeaderboardPage');

/**
 * The contract of the bench's one tool, as L1 and the peer servers declare it: zod 4 input and
 * output schemas matching squad-mcp's `get_player_stats` (whose own schemas come from its DTOs).
 */
import { z } from 'zod';

const count = z.number().int().min(0);

export const playerStatsInput = z.object({ player_id: z.number().int().positive() }).strict();

export const playerStatsOutput = z.object({
  player_id: z.number().int().positive(),
  matches_played: count,
  wins: count,
  losses: count,
  draws: count,
  eliminations: count,
  times_eliminated: count,
  elimination_ratio: z.number().min(0),
  flag_captures: count,
  win_rate: z.number().min(0).max(1),
});

export type PlayerStats = z.infer<typeof playerStatsOutput>;

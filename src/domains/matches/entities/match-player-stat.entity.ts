import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('match_player_stats')
export class MatchPlayerStat {
  @PrimaryColumn({ name: 'match_id', type: 'integer' })
  matchId!: number;

  @PrimaryColumn({ name: 'player_id', type: 'integer' })
  playerId!: number;

  @Column({ name: 'squad_id', type: 'integer' })
  squadId!: number;

  @Column({ type: 'integer' })
  eliminations!: number;

  @Column({ name: 'times_eliminated', type: 'integer' })
  timesEliminated!: number;

  @Column({ name: 'flag_captures', type: 'integer' })
  flagCaptures!: number;
}

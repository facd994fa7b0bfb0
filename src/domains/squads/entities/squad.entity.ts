import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('squads')
export class Squad {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  tag!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ name: 'home_field_id', type: 'integer', nullable: true })
  homeFieldId!: number | null;

  @Column({ name: 'captain_player_id', type: 'integer', nullable: true })
  captainPlayerId!: number | null;

  @Column({ name: 'founded_on', type: 'date' })
  foundedOn!: string;

  @Column({ name: 'is_recruiting', type: 'boolean' })
  isRecruiting!: boolean;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

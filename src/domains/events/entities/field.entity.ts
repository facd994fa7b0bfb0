import { Column, Entity, PrimaryColumn } from 'typeorm';

export const FIELD_KINDS = ['woodsball', 'speedball', 'scenario', 'mixed'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

@Entity('fields')
export class Field {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  city!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'double precision' })
  latitude!: number;

  @Column({ type: 'double precision' })
  longitude!: number;

  @Column({ type: 'text' })
  kind!: FieldKind;
}

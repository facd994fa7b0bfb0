import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ReadOnlyGateway } from '../../database/read-only-gateway';
import { SqlBuilder } from '../../database/sql-builder';
import { compileList, compileQuery, type RowPage, type Variant, variants, whereBound } from '../../database/sql-query';
import { Field } from '../events/entities/field.entity';
import { Player } from '../players/entities/player.entity';
import { Squad } from '../squads/entities/squad.entity';
import type { FieldSummary } from './dto/list-fields.dto';
import type { RegionSummary } from './dto/list-regions.dto';

export interface FieldListFilter {
  readonly region: string | null;
  readonly kind: string | null;
}

type FieldFilterParam = 'region' | 'kind';

function fieldFilter<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, variant: Variant<FieldFilterParam>): SelectQueryBuilder<T> {
  return whereBound(builder, variant, {
    region: 'lower(f.region) = lower(:region)',
    kind: 'f.kind = :kind',
  });
}

function summaryOf<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return builder.select('f.id', 'id').addSelect('f.name', 'name').addSelect('f.city', 'city').addSelect('f.region', 'region').addSelect('f.kind', 'kind');
}

/** Regions and fields: the places every other question is asked about, compiled once from the entities. */
@Injectable()
export class FieldsRepository {
  private readonly regionList;
  private readonly fieldList;
  private readonly fieldById;

  constructor(
    sql: SqlBuilder,
    private readonly gateway: ReadOnlyGateway,
  ) {
    // A region is where fields are; squads and players are counted by it, case-insensitively,
    // the way every region filter matches.
    this.regionList = compileList(
      'regions_list',
      [],
      () => sql.query().from((regions) => regions.subQuery().select('DISTINCT f.region', 'region').from(Field, 'f'), 'r'),
      (builder) =>
        builder
          .select('r.region', 'region')
          .addSelect((fields) => fields.select('CAST(COUNT(*) AS integer)').from(Field, 'cf').where('lower(cf.region) = lower(r.region)'), 'field_count')
          .addSelect((squads) => squads.select('CAST(COUNT(*) AS integer)').from(Squad, 'cs').where('lower(cs.region) = lower(r.region)'), 'squad_count')
          .addSelect((players) => players.select('CAST(COUNT(*) AS integer)').from(Player, 'cp').where('lower(cp.region) = lower(r.region)'), 'player_count')
          .orderBy('r.region', 'ASC'),
    );
    this.fieldById = compileQuery('field_by_id', ['fieldId'], summaryOf(sql.select(Field, 'f')).where('f.id = :fieldId'));
    const filters = ['region', 'kind'] as const;
    this.fieldList = variants(filters, (variant) =>
      compileList(
        'fields_list',
        filters,
        () => fieldFilter(sql.select(Field, 'f'), variant),
        (builder) =>
          summaryOf(builder)
            .orderBy('f.name', 'ASC')
            .addOrderBy('f.id', 'ASC'),
        variant,
      ),
    );
  }

  regions(limit: number, offset: number): Promise<RowPage<RegionSummary>> {
    return this.gateway.page(this.regionList, {}, limit, offset);
  }

  async field(fieldId: number): Promise<FieldSummary | undefined> {
    const rows = await this.gateway.rows<FieldSummary, 'fieldId'>(this.fieldById, { fieldId });
    return rows[0];
  }

  fields(filter: FieldListFilter, limit: number, offset: number): Promise<RowPage<FieldSummary>> {
    return this.gateway.page(this.fieldList(filter), filter, limit, offset);
  }
}

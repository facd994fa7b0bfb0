import { DataSource, type EntityTarget, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

import { ENTITIES } from './entities';

/**
 * TypeORM used only for what it knows: entity metadata and SQL generation. It never opens a
 * connection; statements run through the read-only gateway's own pool.
 */
class MetadataOnlyDataSource extends DataSource {
  async loadMetadata(): Promise<void> {
    await this.buildMetadatas();
  }
}

export class SqlBuilder {
  private constructor(private readonly dataSource: DataSource) {}

  static async create(): Promise<SqlBuilder> {
    const dataSource = new MetadataOnlyDataSource({ type: 'postgres', entities: ENTITIES });
    await dataSource.loadMetadata();
    return new SqlBuilder(dataSource);
  }

  select<E extends ObjectLiteral>(entity: EntityTarget<E>, alias: string): SelectQueryBuilder<E> {
    return this.dataSource.createQueryBuilder(entity, alias);
  }

  /** A builder with no main entity, for aggregates that pick their own FROM. */
  query(): SelectQueryBuilder<ObjectLiteral> {
    return this.dataSource.createQueryBuilder() as SelectQueryBuilder<ObjectLiteral>;
  }
}

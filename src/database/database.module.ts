import { Global, Module } from '@nestjs/common';

import { ReadOnlyGateway } from './read-only-gateway';
import { SqlBuilder } from './sql-builder';

@Global()
@Module({
  providers: [ReadOnlyGateway, { provide: SqlBuilder, useFactory: () => SqlBuilder.create() }],
  exports: [ReadOnlyGateway, SqlBuilder],
})
export class DatabaseModule {}

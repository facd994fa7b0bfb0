import { Module } from '@nestjs/common';

import { DatabaseModule } from '../../database/database.module';
import { FieldsRepository } from './fields.repository';
import { FieldsService } from './fields.service';
import { FieldsTools } from './fields.tools';

/** The fields tools, over the squad database. */
@Module({
  imports: [DatabaseModule],
  providers: [FieldsRepository, FieldsService, FieldsTools],
  exports: [FieldsService],
})
export class FieldsModule {}

import { Module } from '@nestjs/common';

import { FieldsRepository } from './fields.repository';
import { FieldsService } from './fields.service';
import { FieldsTools } from './fields.tools';

@Module({
  providers: [FieldsRepository, FieldsService, FieldsTools],
  exports: [],
})
export class FieldsModule {}

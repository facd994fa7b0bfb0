import { Module } from '@nestjs/common';

import { DatabaseModule } from '../database/database.module';
import { ObservabilityModule } from '../observability/observability.module';
import { TracingModule } from '../observability/tracing/tracing.module';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DocumentsTools } from './documents.tools';

/** Document retrieval (`search_documents`, `get_document`, `list_documents`), loaded only with ENABLE_RAG=true. */
@Module({
  imports: [DatabaseModule, ObservabilityModule, TracingModule],
  providers: [DocumentsRepository, DocumentsService, DocumentsTools],
  exports: [DocumentsRepository, DocumentsService],
})
export class DocumentsModule {}

import { Global, Module } from '@nestjs/common';

import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DocumentsTools } from './documents.tools';

/**
 * Document retrieval (`search_documents`), loaded only with ENABLE_RAG=true. Global so that
 * /health can report on it when it is loaded without depending on it when it is not.
 */
@Global()
@Module({
  providers: [DocumentsRepository, DocumentsService, DocumentsTools],
  exports: [DocumentsRepository, DocumentsService],
})
export class DocumentsModule {}

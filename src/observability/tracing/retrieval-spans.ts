import { Inject, Injectable } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';

import { capped } from '../../common/util/echo';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Tracing } from './tracing';

/** How much of a question a span may carry, when carrying it is allowed at all. */
const MAX_QUERY_TEXT_CHARS = 256;

/** What one retrieval searched: where, for how many results, and the question. */
export interface RetrievalRequest {
  readonly dataSourceId: string;
  readonly topK: number;
  readonly query: string;
}

/**
 * The GenAI conventions' `retrieval {data source}` span around a document search, under the tool
 * span, with the data source and top-k. The question is the end user's text, so it is recorded
 * only when the operator opted in (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT), and cut short.
 */
@Injectable()
export class RetrievalSpans {
  private readonly captureQuery: boolean;

  constructor(
    private readonly tracing: Tracing,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.captureQuery = config.tracing?.captureContent === true;
  }

  async run<T>(retrieval: RetrievalRequest, search: () => Promise<T>): Promise<T> {
    if (!this.tracing.enabled) {
      return search();
    }
    const span = this.tracing.start({
      name: `retrieval ${retrieval.dataSourceId}`,
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.data_source.id': retrieval.dataSourceId,
        'gen_ai.request.top_k': retrieval.topK,
        ...(this.captureQuery ? { 'gen_ai.retrieval.query.text': capped(retrieval.query, MAX_QUERY_TEXT_CHARS) } : {}),
      },
    });
    return this.tracing.spanning(span, search);
  }
}

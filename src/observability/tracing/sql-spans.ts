import { Injectable } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';

import { Tracing } from './tracing';

/** One client span per SQL statement, named by the query's name; never its text or parameters. */
@Injectable()
export class SqlSpans {
  constructor(private readonly tracing: Tracing) {}

  async run<T>(queryName: string, statement: () => Promise<T>): Promise<T> {
    if (!this.tracing.enabled) {
      return statement();
    }
    const span = this.tracing.start({
      name: queryName,
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.query.summary': queryName },
    });
    return this.tracing.spanning(span, statement);
  }
}

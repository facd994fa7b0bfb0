import { Injectable } from '@nestjs/common';
import { type Span, SpanKind } from '@opentelemetry/api';

import { Tracing } from './tracing';

/** The outcome of one attempt, as the upstream client classified it. */
export interface AttemptEnd {
  readonly status?: number;
  /** Why the attempt failed (`timeout`, `reset`, `status_503`…); absent when it was usable. */
  readonly failure?: string;
}

/**
 * One client span per squad-api attempt (retries are attempts of their own), with the span's
 * `traceparent` written into the attempt's headers so squad-api continues the same trace.
 */
@Injectable()
export class UpstreamSpans {
  constructor(private readonly tracing: Tracing) {}

  attemptStarted(method: string, url: URL, attempt: number, headers: { set(name: string, value: string): unknown }): Span | undefined {
    if (!this.tracing.enabled) {
      return undefined;
    }
    const span = this.tracing.start({
      name: method,
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        'url.full': url.href,
        ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
      },
    });
    const propagated: Record<string, string> = {};
    this.tracing.within(span, () => {
      this.tracing.inject(propagated);
    });
    for (const [name, value] of Object.entries(propagated)) {
      headers.set(name, value);
    }
    return span;
  }

  attemptEnded(span: Span | undefined, end: AttemptEnd): void {
    if (span === undefined) {
      return;
    }
    if (end.status !== undefined) {
      span.setAttribute('http.response.status_code', end.status);
    }
    Tracing.end(span, end.failure);
  }
}

import { type Attributes, type Context, INVALID_SPAN_CONTEXT, type Link, ROOT_CONTEXT, type Span, type SpanKind, SpanStatusCode, type TextMapGetter, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import { currentRequestContext } from '../../common/context/request-context';
import { AppError } from '../../common/errors/app-error';
import { capped } from '../../common/util/echo';

/** A status message may carry what a caller sent (an error text naming it): kept short. */
const MAX_STATUS_MESSAGE_CHARS = 256;

/** Where W3C trace context is read from: HTTP headers, or an MCP request's `params._meta`. */
export type Carrier = Readonly<Record<string, unknown>>;

export interface SpanStart {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  /** The parent; the span active where it starts when omitted. */
  readonly parent?: Context;
  readonly links?: Link[];
}

/** What the SDK lends the process while tracing is on. */
export interface TracerHandle {
  readonly tracer: Tracer;
  /** Exports what is still buffered, then stops the exporter. */
  stop(): Promise<void>;
}

// Only string values count: a number or an object where `traceparent` belongs is no trace context.
const STRING_VALUES: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : undefined;
  },
};

/**
 * The process's tracing: a tracer, its own async-local context (no global OpenTelemetry state,
 * so several apps in one process keep apart) and the W3C propagator. Off, it holds nothing and
 * every span site skips on `enabled`, so an untraced call costs one property read.
 */
export class Tracing {
  static readonly off = new Tracing(undefined);

  private readonly propagator = new W3CTraceContextPropagator();
  private readonly contexts: AsyncLocalStorageContextManager | undefined;

  constructor(private readonly handle: TracerHandle | undefined) {
    this.contexts = handle === undefined ? undefined : new AsyncLocalStorageContextManager().enable();
  }

  get enabled(): boolean {
    return this.handle !== undefined;
  }

  /** The context a span started here would be the child of. */
  active(): Context {
    return this.contexts?.active() ?? ROOT_CONTEXT;
  }

  /** The remote parent that `traceparent` (and `tracestate`) in `carrier` name, if they are valid. */
  remoteParent(carrier: Carrier): Context | undefined {
    const extracted = this.propagator.extract(ROOT_CONTEXT, carrier, STRING_VALUES);
    return trace.getSpanContext(extracted) === undefined ? undefined : extracted;
  }

  /** Starts a span, child of `parent` or of the active span. */
  start(start: SpanStart): Span {
    if (this.handle === undefined) {
      return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    }
    return this.handle.tracer.startSpan(start.name, { kind: start.kind, attributes: start.attributes, links: start.links }, start.parent ?? this.active());
  }

  /** Runs `fn` with `span` active, so the spans started inside it are its children; `extend` adds values to that context. */
  within<T>(span: Span, fn: () => T, extend: (context: Context) => Context = (context) => context): T {
    return this.contexts === undefined ? fn() : this.contexts.with(extend(trace.setSpan(this.active(), span)), fn);
  }

  /** Runs `work` inside `span` and ends the span, marked with the failure's error code when `work` throws. */
  async spanning<T>(span: Span, work: () => Promise<T>): Promise<T> {
    try {
      const result = await this.within(span, work);
      Tracing.end(span);
      return result;
    } catch (error) {
      Tracing.end(span, error instanceof AppError ? error.code : 'internal');
      throw error;
    }
  }

  /** Names the request's trace in its request context, for the log lines written from now on. */
  markRequest(span: Span): void {
    const context = currentRequestContext();
    if (context !== undefined && span.isRecording()) {
      context.traceId = span.spanContext().traceId;
    }
  }

  /** Writes `traceparent` (and `tracestate`) of the active span into outgoing headers. */
  inject(headers: Record<string, string>): void {
    this.propagator.inject(this.active(), headers, {
      set: (carrier: Record<string, string>, key: string, value: string) => {
        carrier[key] = value;
      },
    });
  }

  /** Ends a span, marking it failed with `errorType` (a low-cardinality class of the failure) when given. */
  static end(span: Span, errorType?: string, message?: string): void {
    if (errorType !== undefined) {
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message: capped(message, MAX_STATUS_MESSAGE_CHARS) }) });
    }
    span.end();
  }

  async stop(): Promise<void> {
    this.contexts?.disable();
    await this.handle?.stop();
  }
}

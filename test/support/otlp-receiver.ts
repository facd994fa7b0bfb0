import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { closeServer, listenOnLoopback } from './loopback-server';

type AttributeValue = string | number | boolean;

/** One span as an OTLP/HTTP JSON export carries it, flattened for assertions. */
export interface ReceivedSpan {
  readonly resource: Readonly<Record<string, AttributeValue>>;
  readonly serviceName: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP's numbering: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly status: { readonly code?: number; readonly message?: string };
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
}

export const SpanKindNumber = { internal: 1, server: 2, client: 3 } as const;
export const STATUS_UNSET = 0;
export const STATUS_ERROR = 2;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  status?: { code?: number; message?: string };
  links?: { traceId: string; spanId: string }[];
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function valueOf(value: OtlpValue): AttributeValue {
  if (value.intValue !== undefined) {
    return Number(value.intValue);
  }
  return value.stringValue ?? value.doubleValue ?? value.boolValue ?? '';
}

function attributesOf(attributes: OtlpAttribute[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((attributes ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)]));
}

/**
 * A real OTLP/HTTP trace receiver (JSON encoding): it records every span exported to
 * `POST /v1/traces`, and on command answers with an error status instead.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly exports: { readonly contentType: string | undefined; readonly headers: IncomingHttpHeaders }[] = [];
  /** The HTTP status every export gets; 200 accepts and records it. */
  status = 200;
  private readonly server: Server;
  private readonly received = new EventEmitter();

  constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** Resolves with the spans received so far once `done` holds for them; rejects after `timeoutMs`. */
  async waitFor(done: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs = 10_000): Promise<readonly ReceivedSpan[]> {
    if (done(this.spans)) {
      return this.spans;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.received.off('spans', check);
        reject(new Error(`spans not received in time; got: ${this.spans.map((span) => span.name).join(', ')}`));
      }, timeoutMs);
      const check = (): void => {
        if (done(this.spans)) {
          clearTimeout(timer);
          this.received.off('spans', check);
          resolve(this.spans);
        }
      };
      this.received.on('spans', check);
    });
  }

  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    this.exports.push({ contentType: req.headers['content-type'], headers: req.headers });
    if (req.method !== 'POST' || req.url !== '/v1/traces' || this.status !== 200) {
      res.writeHead(req.url === '/v1/traces' ? this.status : 404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport;
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      const serviceName = resource['service.name'];
      for (const span of (resourceSpans.scopeSpans ?? []).flatMap((scope) => scope.spans ?? [])) {
        this.spans.push({
          resource,
          serviceName: typeof serviceName === 'string' ? serviceName : undefined,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId === '' ? undefined : span.parentSpanId,
          name: span.name,
          kind: span.kind,
          attributes: attributesOf(span.attributes),
          status: span.status ?? {},
          links: (span.links ?? []).map((link) => ({ traceId: link.traceId, spanId: link.spanId })),
        });
      }
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    this.received.emit('spans');
  }
}

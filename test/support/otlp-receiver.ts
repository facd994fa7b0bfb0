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

/** One histogram data point as an OTLP/HTTP JSON metrics export carries it. */
export interface ReceivedHistogramPoint {
  readonly serviceName: string | undefined;
  readonly name: string;
  readonly unit: string | undefined;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly count: number;
  readonly explicitBounds: readonly number[];
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

interface OtlpMetricsExport {
  resourceMetrics?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeMetrics?: {
      metrics?: { name: string; unit?: string; histogram?: { dataPoints?: { attributes?: OtlpAttribute[]; count?: string | number; explicitBounds?: number[] }[] } }[];
    }[];
  }[];
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
 * `POST /v1/traces`, and on command answers with an error status instead. Histogram points
 * exported to `POST /v1/metrics` are kept apart, in `histograms`.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly histograms: ReceivedHistogramPoint[] = [];
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

  /** Resolves once a histogram point satisfying `match` has arrived; rejects after `timeoutMs`. */
  async waitForHistogram(match: (point: ReceivedHistogramPoint) => boolean, timeoutMs = 10_000): Promise<ReceivedHistogramPoint> {
    const found = (): ReceivedHistogramPoint | undefined => this.histograms.find(match);
    return (
      found() ??
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this.received.off('metrics', check);
          reject(new Error(`histogram point not received in time; got: ${JSON.stringify(this.histograms.map((point) => [point.name, point.attributes]))}`));
        }, timeoutMs);
        const check = (): void => {
          const point = found();
          if (point !== undefined) {
            clearTimeout(timer);
            this.received.off('metrics', check);
            resolve(point);
          }
        };
        this.received.on('metrics', check);
      })
    );
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
    if (req.method === 'POST' && req.url === '/v1/metrics') {
      this.receiveMetrics(JSON.parse(Buffer.concat(chunks).toString()) as OtlpMetricsExport);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      return;
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

  private receiveMetrics(body: OtlpMetricsExport): void {
    for (const resourceMetrics of body.resourceMetrics ?? []) {
      const serviceName = attributesOf(resourceMetrics.resource?.attributes)['service.name'];
      for (const metric of (resourceMetrics.scopeMetrics ?? []).flatMap((scope) => scope.metrics ?? [])) {
        for (const point of metric.histogram?.dataPoints ?? []) {
          this.histograms.push({
            serviceName: typeof serviceName === 'string' ? serviceName : undefined,
            name: metric.name,
            unit: metric.unit,
            attributes: attributesOf(point.attributes),
            count: Number(point.count ?? 0),
            explicitBounds: point.explicitBounds ?? [],
          });
        }
      }
    }
    this.received.emit('metrics');
  }
}

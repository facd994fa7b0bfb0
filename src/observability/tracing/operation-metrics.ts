import type { Attributes, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

import { APP_NAME, APP_VERSION } from '../../app-info';
import type { TracingConfig } from '../../config/app-config';
import { telemetryResource } from './tracer-provider';

export const MCP_OPERATION_DURATION = 'mcp.server.operation.duration';
/** The bucket boundaries the MCP semantic conventions give this histogram, in seconds. */
export const MCP_OPERATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
// The SDK refuses an export timeout longer than the interval.
const MAX_EXPORT_TIMEOUT_MS = 30_000;

/**
 * `mcp.server.operation.duration`, the MCP semantic conventions' histogram of every JSON-RPC
 * request a server answers, exported through OTLP beside the traces. Prometheus's own metrics
 * stay as they are; this is for collectors that speak the conventions. Off, it holds nothing.
 */
export class McpOperationMetrics {
  static readonly off = new McpOperationMetrics(undefined);

  constructor(private readonly handle: { readonly histogram: Histogram; stop(): Promise<void> } | undefined) {}

  get enabled(): boolean {
    return this.handle !== undefined;
  }

  record(seconds: number, attributes: Attributes): void {
    this.handle?.histogram.record(seconds, attributes);
  }

  /** Exports what has not been exported yet, then stops. */
  async stop(): Promise<void> {
    await this.handle?.stop();
  }
}

/** Starts the metrics SDK with its OTLP/HTTP exporter, when the configuration names a metrics endpoint. */
export function startOperationMetrics(config: TracingConfig): McpOperationMetrics {
  if (config.metricsUrl === undefined) {
    return McpOperationMetrics.off;
  }
  const exporter = new OTLPMetricExporter({ url: config.metricsUrl, headers: { ...config.headers } });
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: config.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(MAX_EXPORT_TIMEOUT_MS, config.metricExportIntervalMs),
  });
  const provider = new MeterProvider({ resource: telemetryResource(config), readers: [reader] });
  const histogram = provider.getMeter(APP_NAME, APP_VERSION).createHistogram(MCP_OPERATION_DURATION, {
    unit: 's',
    description: 'Duration of the MCP requests this server answered',
    advice: { explicitBucketBoundaries: MCP_OPERATION_BUCKETS },
  });
  return new McpOperationMetrics({ histogram, stop: () => provider.shutdown() });
}

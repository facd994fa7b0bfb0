import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import { APP_NAME, APP_VERSION } from '../../app-info';
import type { TraceSampler, TracingConfig } from '../../config/app-config';
import { Tracing } from './tracing';

function samplerOf(kind: TraceSampler, ratio: number): Sampler {
  switch (kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/** What every exported span and metric says about the process that made it. */
export function telemetryResource(config: TracingConfig): Resource {
  return resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: APP_VERSION });
}

/**
 * Starts the SDK: a tracer provider (never registered globally) whose spans are batched and sent
 * to the collector as OTLP/HTTP JSON. Called only when tracing is configured.
 */
export function startTracing(config: TracingConfig): Tracing {
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: { ...config.headers } });
  const provider = new TracerProvider({
    resource: telemetryResource(config),
    sampler: samplerOf(config.sampler, config.samplerRatio),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.exportDelayMs })],
  });
  return new Tracing({ tracer: provider.getTracer(APP_NAME, APP_VERSION), stop: () => provider.shutdown() });
}

import { Module, type OnModuleInit } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';

import { METRIC_PROVIDERS,Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** Metrics: the Prometheus endpoint, process metrics, and the application's own series. */
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: false } })],
  providers: [...METRIC_PROVIDERS, Metrics],
  exports: [Metrics],
})
export class ObservabilityModule implements OnModuleInit {
  onModuleInit(): void {
    // Process metrics live in the global registry; several app instances in one process share them.
    if (register.getSingleMetric('process_cpu_user_seconds_total') === undefined) {
      collectDefaultMetrics();
    }
  }
}

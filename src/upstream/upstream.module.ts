import { Module } from '@nestjs/common';

import { ObservabilityModule } from '../observability/observability.module';
import { TracingModule } from '../observability/tracing/tracing.module';
import { UpstreamHttp } from './upstream-http';

/** The one HTTP client of squad-api, for the domains' upstream clients and health. */
@Module({ imports: [ObservabilityModule, TracingModule], providers: [UpstreamHttp], exports: [UpstreamHttp] })
export class UpstreamModule {}

import { Module } from '@nestjs/common';

import { ObservabilityModule } from '../observability/observability.module';
import { ResultCache } from './result-cache';

@Module({ imports: [ObservabilityModule], providers: [ResultCache], exports: [ResultCache] })
export class ResultCacheModule {}

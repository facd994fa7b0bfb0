import { Global, Module } from '@nestjs/common';

import { UpstreamHttp } from './upstream-http';

@Global()
@Module({ providers: [UpstreamHttp], exports: [UpstreamHttp] })
export class UpstreamModule {}

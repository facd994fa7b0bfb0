import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';

import { Public } from '../auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AddressRanges } from '../common/http/address-ranges';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** `GET /metrics` in Prometheus text format, for the networks in METRICS_ALLOWED_CIDRS (all when unset). */
@Public()
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  private readonly allowed: AddressRanges;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.allowed = new AddressRanges(config.metricsAllowedCidrs);
  }

  @Get()
  override async index(@Res({ passthrough: true }) response: Response, @Req() request?: Request): Promise<string> {
    if (!this.allowed.empty && request !== undefined) {
      // The connection's own address: a forwarded one could be anything.
      if (!this.allowed.contains(request.socket.remoteAddress ?? '')) {
        throw new AppError(ErrorCode.Forbidden, 'Metrics are not served to this address');
      }
    }
    return super.index(response);
  }
}

import { BlockList, isIPv4 } from 'node:net';

import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';

import { Public } from '../auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

function blockListOf(cidrs: readonly string[]): BlockList | undefined {
  if (cidrs.length === 0) {
    return undefined;
  }
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix] = cidr.split('/');
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    list.addSubnet(address, Number(prefix ?? (type === 'ipv4' ? 32 : 128)), type);
  }
  return list;
}

function clientAddress(req: Request): { address: string; type: 'ipv4' | 'ipv6' } {
  const raw = req.socket.remoteAddress ?? '';
  const mapped = raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw;
  return { address: mapped, type: isIPv4(mapped) ? 'ipv4' : 'ipv6' };
}

/** `GET /metrics` in Prometheus text format, for the networks in METRICS_ALLOWED_CIDRS (all when unset). */
@Public()
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  private readonly allowed: BlockList | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.allowed = blockListOf(config.metricsAllowedCidrs);
  }

  @Get()
  override async index(@Res({ passthrough: true }) response: Response, @Req() request?: Request): Promise<string> {
    if (this.allowed !== undefined && request !== undefined) {
      const { address, type } = clientAddress(request);
      if (!this.allowed.check(address, type)) {
        throw new AppError(ErrorCode.Forbidden, 'Metrics are not served to this address');
      }
    }
    return super.index(response);
  }
}

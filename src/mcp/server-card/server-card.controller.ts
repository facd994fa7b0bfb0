import { Controller, Get, Inject, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ProtectedResourceMetadata } from '../../auth/protected-resource-metadata';
import { Public } from '../../auth/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { mcpHostAllowed } from '../protocol/dns-rebinding.guards';
import { AddressThrottleGuard } from './address-throttle.guard';
import { SERVER_CARD_MEDIA_TYPE, serverCard } from './server-card';

/** How long anyone may reuse the card: it changes only with a release or a configuration change. */
const CARD_MAX_AGE_SECONDS = 3600;

/**
 * `GET /mcp/server-card`: the Server Card extension's card, for clients deciding whether and how
 * to connect. Public and readable from any page (it holds nothing secret), cacheable, and limited
 * per address. The endpoint it names is the public resource URL when tokens are on, else this
 * request's own origin, which must be a Host `/mcp` itself would answer.
 */
@Public()
@ApiExcludeController()
@Controller('mcp/server-card')
export class ServerCardController {
  private readonly hostAllowed: (host: string | undefined) => boolean;
  private readonly resourceUrl: URL | undefined;
  private readonly metadataUrl: string | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.hostAllowed = mcpHostAllowed(config);
    const tokens = config.tokens;
    if (tokens !== undefined && tokens.resourceUrl !== '') {
      this.resourceUrl = new URL(tokens.resourceUrl);
      this.metadataUrl = new ProtectedResourceMetadata(tokens).url;
    }
  }

  @Get()
  @UseGuards(AddressThrottleGuard)
  card(@Req() req: Request, @Res() res: Response): void {
    const endpoint = this.resourceUrl ?? this.endpointOf(req);
    res
      .status(200)
      .set({
        'Content-Type': SERVER_CARD_MEDIA_TYPE,
        'Cache-Control': `public, max-age=${CARD_MAX_AGE_SECONDS}`,
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET',
      })
      .send(JSON.stringify(serverCard(endpoint, this.metadataUrl)));
  }

  private endpointOf(req: Request): URL {
    const host = req.headers.host;
    if (host === undefined || !this.hostAllowed(host)) {
      throw new AppError(ErrorCode.Forbidden, 'Host header not allowed');
    }
    return new URL('/mcp', `${req.protocol}://${host}`);
  }
}

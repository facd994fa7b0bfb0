import { Controller, Get, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { ProtectedResourceDocument } from './protected-resource-metadata';
import { Public } from './public.decorator';
import { TokenAuthentication } from './token-authentication';

/** RFC 9728 metadata for OAuth clients (MCP clients find the token issuer here); only while tokens are accepted. */
@Public()
@ApiExcludeController()
@Controller('.well-known/oauth-protected-resource')
export class ProtectedResourceController {
  constructor(private readonly tokens: TokenAuthentication) {}

  @Get()
  atRoot(): ProtectedResourceDocument {
    return this.documentFor('');
  }

  @Get('*suffix')
  atResourcePath(@Param('suffix') suffix: string[]): ProtectedResourceDocument {
    return this.documentFor(`/${suffix.join('/')}`);
  }

  private documentFor(suffix: string): ProtectedResourceDocument {
    const metadata = this.tokens.metadata;
    if (metadata === undefined || (suffix !== '' && suffix !== metadata.pathSuffix)) {
      throw new AppError(ErrorCode.NotFound, 'Route not found');
    }
    return metadata.document();
  }
}

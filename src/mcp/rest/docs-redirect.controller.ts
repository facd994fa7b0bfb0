import { Controller, Get, HttpStatus, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { Public } from '../../auth/public.decorator';

/** `GET /` sends a browser to Swagger UI, where every tool can be tried. */
@Public()
@ApiExcludeController()
@Controller()
export class DocsRedirectController {
  @Get()
  @Redirect('/docs', HttpStatus.FOUND)
  toDocs(): void {
    // The redirect is the whole answer.
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { ONE_TOOL_CALL, RateLimitDemand } from '../../auth/rate-limit-demand';
import { AppError } from '../../common/errors/app-error';
import { PromptCatalog, type RenderedPrompt } from '../catalog/prompt-catalog';
import { ResourceReader } from '../tool-call/resource-reader';

const MAX_URI_LENGTH = 512;

/**
 * `GET /v1/resources?uri=…` and `POST /v1/prompts/{name}`: the MCP resources and prompts for
 * callers without an MCP client. A read answers the resource's JSON; a prompt, its messages.
 */
@ApiExcludeController()
@Controller('v1')
export class ContentMirrorController {
  constructor(
    private readonly reader: ResourceReader,
    private readonly prompts: PromptCatalog,
  ) {}

  @Get('resources')
  @RateLimitDemand(() => ONE_TOOL_CALL)
  async read(@Query('uri') uri: unknown): Promise<object> {
    if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI_LENGTH) {
      throw AppError.invalidInput([{ field: 'uri', message: `uri must be one resource URI of 1–${MAX_URI_LENGTH} characters` }]);
    }
    const read = await this.reader.read(uri, 'rest');
    switch (read.kind) {
      case 'read':
        return read.output;
      case 'missing':
        throw AppError.notFound(read.message, 'resources/list and resources/templates/list over MCP name every resource');
      case 'failed':
        throw read.error;
    }
  }

  @Post('prompts/:name')
  @HttpCode(200)
  render(@Param('name') name: string, @Body() args: unknown): RenderedPrompt {
    const prompt = this.prompts.find(name);
    if (prompt === undefined) {
      throw AppError.notFound('No prompt has this name', 'GET /docs-json lists every prompt under /v1/prompts');
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw AppError.invalidInput([{ field: 'body', message: "the body must be a JSON object of the prompt's arguments" }]);
    }
    return this.prompts.render(prompt, args as Record<string, unknown>);
  }
}

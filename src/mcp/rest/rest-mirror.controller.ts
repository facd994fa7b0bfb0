import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { ONE_TOOL_CALL, RateLimitDemand } from '../../auth/rate-limit-demand';
import { AppError } from '../../common/errors/app-error';
import { unknownToolMessage } from '../catalog/tool-definition';
import { ToolRegistry } from '../catalog/tool-registry';
import { ToolPipeline } from '../tool-call/tool-pipeline';

/**
 * `POST /v1/mcp/{tool}`: the tool's arguments in, its structured output out. A failure is thrown
 * as it is, for the exception filter to answer with the common body and status.
 */
@ApiExcludeController()
@Controller('v1/mcp')
export class RestMirrorController {
  constructor(
    private readonly registry: ToolRegistry,
    private readonly pipeline: ToolPipeline,
  ) {}

  @Post(':tool')
  @HttpCode(200)
  @RateLimitDemand(() => ONE_TOOL_CALL)
  async call(@Param('tool') name: string, @Body() args: unknown): Promise<object> {
    const tool = this.registry.find(name);
    if (tool === undefined) {
      throw AppError.notFound(unknownToolMessage(name), 'GET /docs-json lists every tool');
    }
    const outcome = await this.pipeline.run(tool, args, { surface: 'rest', origin: 'tools/call' });
    if (!outcome.ok) {
      throw outcome.error;
    }
    return outcome.output;
  }
}

import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { AppError } from '../../common/errors/app-error';
import { McpSpans } from '../../observability/tracing/mcp-spans';
import { ToolExecutor } from '../tool-executor';
import { ToolRegistry } from '../catalog/tool-registry';

/** `POST /v1/mcp/{tool}`: the tool's arguments in, its structured output out. */
@ApiExcludeController()
@Controller('v1/mcp')
export class RestMirrorController {
  constructor(
    private readonly registry: ToolRegistry,
    private readonly executor: ToolExecutor,
    private readonly spans: McpSpans,
  ) {}

  @Post(':tool')
  @HttpCode(200)
  async call(@Param('tool') name: string, @Body() args: unknown): Promise<object> {
    const tool = this.registry.find(name);
    if (tool === undefined) {
      throw AppError.notFound(`Tool ${name} does not exist`, 'GET /docs-json lists every tool');
    }
    const outcome = await this.spans.restToolCall(tool.name, () => this.executor.execute(tool, args, 'rest'));
    if (!outcome.ok) {
      throw outcome.error;
    }
    return outcome.output;
  }
}

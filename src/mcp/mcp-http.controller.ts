import { type NodeMcpRequestHandler, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { All, Controller, Logger, type OnModuleDestroy, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { McpServerFactory } from './mcp-server.factory';

/**
 * `/mcp`: MCP Streamable HTTP, stateless, for both protocol eras. The SDK answers methods
 * other than POST with 405; authentication and Host/Origin checks run before this handler.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpHttpController implements OnModuleDestroy {
  private readonly logger = new Logger('Mcp');
  private readonly handler;
  private readonly serve: NodeMcpRequestHandler;

  constructor(factory: McpServerFactory) {
    const onerror = (error: Error): void => {
      this.logger.warn({ err: error }, 'MCP request rejected');
    };
    this.handler = createMcpHandler(factory.create, { onerror });
    this.serve = toNodeHandler(this.handler, { onerror });
  }

  @All()
  async handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.serve(req, res, req.body);
  }

  async onModuleDestroy(): Promise<void> {
    await this.handler.close();
  }
}

import type { OutgoingHttpHeaders } from 'node:http';

import { type NodeMcpRequestHandler, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { Controller, Logger, type OnModuleDestroy, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { RateLimitDemand } from '../../auth/rate-limit-demand';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { DirectDispatch } from './direct-dispatch';
import { mcpDemandOf } from './mcp-demand';
import { protocolCheckOf } from './mcp-protocol-check';
import { McpServerFactory } from './mcp-server.factory';
import { STATELESS_REVISION } from './stateless-tool-request';

const MAX_REASON_LENGTH = 200;

/**
 * The 2025-era transport answers with JSON or an SSE stream, so its clients must accept both; the
 * SDK refuses them otherwise with a bare JSON-RPC 406, which this check replaces by the common body.
 */
function acceptsBothAnswers(req: Request): boolean {
  const accept = req.header('accept') ?? '';
  return req.header('mcp-protocol-version') === STATELESS_REVISION || (accept.includes('application/json') && accept.includes('text/event-stream'));
}

/**
 * The SDK writes `Connection: keep-alive` on its event streams, which would overrule a client's
 * `Connection: close` (and the drain's). Node decides persistence from the request and what the
 * app set, so the SDK's own say is dropped, as REST answers never carry one.
 */
function leavingPersistenceToNode(res: Response): Response {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => Response;
  const withoutConnection = (status: number, headers?: OutgoingHttpHeaders): Response => {
    if (headers === undefined) {
      return writeHead(status);
    }
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'connection'));
    return writeHead(status, kept);
  };
  res.writeHead = withoutConnection as Response['writeHead'];
  return res;
}

/**
 * `/mcp`: MCP Streamable HTTP, stateless, for both protocol eras. Only POST is routed here (other
 * methods get the common 405); authentication and Host/Origin checks run before this handler.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpHttpController implements OnModuleDestroy {
  private readonly logger = new Logger('Mcp');
  private readonly handler;
  private readonly serve: NodeMcpRequestHandler;

  constructor(
    factory: McpServerFactory,
    private readonly direct: DirectDispatch,
  ) {
    const onerror = (error: Error): void => {
      this.logger.warn({ event: 'mcp_request_rejected', reason: error.message.slice(0, MAX_REASON_LENGTH) }, 'MCP request rejected');
    };
    this.handler = createMcpHandler(factory.create, { onerror });
    this.serve = toNodeHandler(this.handler, { onerror });
  }

  @Post()
  @RateLimitDemand(mcpDemandOf)
  async handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!acceptsBothAnswers(req)) {
      throw new AppError(ErrorCode.NotAcceptable, undefined, { suggestions: ['Send Accept: application/json, text/event-stream'] });
    }
    const rejection = protocolCheckOf(req);
    if (rejection !== undefined) {
      this.logger.log({ event: 'mcp_request_rejected', reason: rejection.body.error.message }, 'MCP request rejected');
      res.status(rejection.httpStatus).json(rejection.body);
      return;
    }
    const answer = await this.direct.answer(req);
    if (answer === undefined) {
      await this.serve(req, leavingPersistenceToNode(res), req.body);
      return;
    }
    // Left to `end`, the headers carry the body's length and leave with it in one write.
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json');
    res.end(answer.body);
  }

  async onModuleDestroy(): Promise<void> {
    await this.handler.close();
  }
}

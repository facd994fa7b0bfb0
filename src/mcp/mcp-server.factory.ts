import type { CallToolRequest, CallToolResult, ListToolsResult, ServerContext, Tool } from '@modelcontextprotocol/server';
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Inject, Injectable } from '@nestjs/common';

import { APP_NAME, APP_VERSION } from '../app-info';
import { withCacheHint } from '../cache/cache-hint';
import { currentRequestId } from '../common/context/request-context';
import { toErrorResponse } from '../common/errors/error-response';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ToolOutcome } from './tool-call-observer';
import type { ToolDefinition } from './tool-definition';
import { callerDescription } from './tool-description';
import { ToolExecutor } from './tool-executor';
import { ToolRegistry } from './tool-registry';

/** Where an error result carries its body for clients that want it machine-readable. */
export const ERROR_META_KEY = 'squad-mcp/error';

/**
 * Successes carry the output twice (structured, and as JSON text for clients that read only text).
 * Failures carry the SPEC §5 body as JSON text and under `_meta`, never as `structuredContent`:
 * many clients check that against the tool's output schema even on errors, and would hide the message.
 */
function toCallToolResult(outcome: ToolOutcome): CallToolResult {
  if (outcome.ok) {
    return { content: [{ type: 'text', text: outcome.json }], structuredContent: outcome.output };
  }
  const body = toErrorResponse(outcome.error, currentRequestId()).body;
  return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: true, _meta: { [ERROR_META_KEY]: body } };
}

/**
 * Builds the per-request MCP server: the SDK's protocol server (it negotiates both eras, checks
 * every request and result against the protocol, and answers `initialize`, `ping` and
 * `server/discover`) with two handlers over a tool table prepared once — `tools/list` answers
 * the prepared descriptions, `tools/call` hands the call to the executor. Nothing is registered
 * per tool per request, and no server is ever shared between requests.
 */
@Injectable()
export class McpServerFactory {
  private readonly jsonSchemaValidator = new AjvJsonSchemaValidator();
  private toolList: ListToolsResult | undefined;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly executor: ToolExecutor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // The SDK keeps Server for servers that bring their own handlers, which is what this one does.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  readonly create = (): Server => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const server = new Server(
      { name: APP_NAME, version: APP_VERSION },
      { capabilities: { tools: { listChanged: false } }, jsonSchemaValidator: this.jsonSchemaValidator },
    );
    server.setRequestHandler('tools/list', () => this.listTools());
    server.setRequestHandler('tools/call', (request, ctx) => this.callTool(request, ctx));
    return server;
  };

  private listTools(): ListToolsResult {
    this.toolList ??= { tools: this.registry.list().map((tool) => this.describe(tool)) };
    return this.toolList;
  }

  private async callTool(request: CallToolRequest, ctx: ServerContext): Promise<CallToolResult> {
    const tool = this.registry.find(request.params.name);
    if (tool === undefined) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    }
    const outcome = await this.executor.execute(tool, request.params.arguments ?? {}, 'mcp');
    return withCacheHint(toCallToolResult(outcome), outcome.ok ? outcome.freshForMs : undefined, ctx);
  }

  private describe(tool: ToolDefinition): Tool {
    const schemas = this.registry.schemasOf(tool.name);
    return {
      name: tool.name,
      title: tool.title,
      description: callerDescription(tool, schemas.output, this.config.maxResultBytes),
      inputSchema: schemas.input as Tool['inputSchema'],
      outputSchema: schemas.output,
      annotations: { title: tool.title, ...tool.annotations },
      _meta: { version: tool.version },
    };
  }
}

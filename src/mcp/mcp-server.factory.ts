import type { CallToolResult, ServerContext, StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import { McpServer } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Inject, Injectable } from '@nestjs/common';

import { APP_NAME, APP_VERSION } from '../app-info';
import { withCacheHint } from '../cache/cache-hint';
import { currentRequestId } from '../common/context/request-context';
import { toErrorResponse } from '../common/errors/error-response';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ToolOutcome } from './tool-call-observer';
import type { JsonSchema, ToolDefinition } from './tool-definition';
import { callerDescription } from './tool-description';
import { ToolExecutor } from './tool-executor';
import { ToolRegistry } from './tool-registry';

type DescribedSchema = StandardSchemaWithJSON<unknown, unknown>;

interface ToolConfig {
  readonly title: string;
  readonly description: string;
  readonly inputSchema: DescribedSchema;
  readonly outputSchema: DescribedSchema;
  readonly annotations: ToolAnnotations;
  readonly _meta: Record<string, unknown>;
}

interface PreparedTool {
  readonly name: string;
  readonly config: ToolConfig;
  readonly callback: (args: unknown, ctx: ServerContext) => Promise<CallToolResult>;
}

/**
 * A schema that only describes: the SDK lists it, while validation stays in the executor so
 * both surfaces reject bad input the same way and with the same error body.
 */
function describedBy(schema: JsonSchema): DescribedSchema {
  return {
    '~standard': {
      version: 1,
      vendor: APP_NAME,
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => schema, output: () => schema },
    },
  };
}

/** Where an error result carries its body for clients that want it machine-readable. */
export const ERROR_META_KEY = 'squad-mcp/error';

/**
 * Successes carry the output twice (structured, and as JSON text for clients that read only text).
 * Failures carry the SPEC §5 body as JSON text and under `_meta`, never as `structuredContent`:
 * many clients check that against the tool's output schema even on errors, and would hide the message.
 */
function toCallToolResult(outcome: ToolOutcome): CallToolResult {
  if (outcome.ok) {
    return { content: [{ type: 'text', text: JSON.stringify(outcome.output) }], structuredContent: outcome.output };
  }
  const body = toErrorResponse(outcome.error, currentRequestId()).body;
  return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: true, _meta: { [ERROR_META_KEY]: body } };
}

/**
 * Builds the per-request MCP server. Everything heavy (schemas, the JSON Schema validator,
 * tool configs) is prepared once; each request only registers the prepared tools.
 */
@Injectable()
export class McpServerFactory {
  private readonly jsonSchemaValidator = new AjvJsonSchemaValidator();
  private prepared: readonly PreparedTool[] | undefined;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly executor: ToolExecutor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  readonly create = (): McpServer => {
    const server = new McpServer(
      { name: APP_NAME, version: APP_VERSION },
      { capabilities: { tools: { listChanged: false } }, jsonSchemaValidator: this.jsonSchemaValidator },
    );
    for (const tool of this.preparedTools()) {
      server.registerTool<DescribedSchema, DescribedSchema>(tool.name, tool.config, tool.callback);
    }
    return server;
  };

  private preparedTools(): readonly PreparedTool[] {
    this.prepared ??= this.registry.list().map((tool) => this.prepare(tool));
    return this.prepared;
  }

  private prepare(tool: ToolDefinition): PreparedTool {
    const schemas = this.registry.schemasOf(tool.name);
    return {
      name: tool.name,
      config: {
        title: tool.title,
        description: callerDescription(tool, schemas.output, this.config.maxResultBytes),
        inputSchema: describedBy(schemas.input),
        outputSchema: describedBy(schemas.output),
        annotations: { title: tool.title, ...tool.annotations },
        _meta: { version: tool.version },
      },
      callback: async (args: unknown, ctx: ServerContext) => {
        const outcome = await this.executor.execute(tool, args, 'mcp');
        return withCacheHint(toCallToolResult(outcome), outcome.ok ? outcome.freshForMs : undefined, ctx);
      },
    };
  }
}

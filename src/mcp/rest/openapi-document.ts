import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, type ParameterObject, type ResponsesObject, SwaggerModule } from '@nestjs/swagger';

import { ErrorBodyDto } from '../../common/errors/error-body.dto';
import { ErrorCode } from '../../common/errors/error-code';
import { toJsonSchema } from '../catalog/json-schema';
import type { JsonSchema, ToolDefinition, ToolSchemas } from '../catalog/tool-definition';
import { exampleArguments, operationDescription } from '../catalog/tool-description';
import type { ToolRegistry } from '../catalog/tool-registry';
import { type ErrorMeanings, errorResponses, type ErrorSuggestions } from './error-responses';
import { recordedAnswer } from './tool-answer-examples';

export const API_KEY_SECURITY = 'api-key';
export const REST_MIRROR_PREFIX = '/v1/mcp/';

/** The end user's id, as the mobile backend sends it: optional everywhere, required by `list_my_events`. */
const USER_ID_HEADER: ParameterObject = {
  name: 'X-User-ID',
  in: 'header',
  required: false,
  description:
    "The end user's player id (a positive integer), asserted by the calling app: `list_my_events` answers for this " +
    'player; every call logs it and forwards it to squad-api.',
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,9}$', example: '42' },
};

const refTo = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** What each failure means on a REST mirror call. */
const TOOL_ERRORS: ErrorMeanings = {
  [ErrorCode.InvalidInput]: 'Invalid input, per field in `details`',
  [ErrorCode.Unauthorized]: 'Missing or invalid API key or token',
  [ErrorCode.Forbidden]: "The key's role may not call this tool",
  [ErrorCode.NotFound]: 'An id that does not exist',
  [ErrorCode.RequestTimeout]: 'The request body did not arrive in time',
  [ErrorCode.PayloadTooLarge]: 'Request body over 100 kB',
  [ErrorCode.UnsupportedMediaType]: 'A body that is not `application/json`',
  [ErrorCode.ResultTooLarge]: 'The answer is over the result budget (`MAX_RESULT_BYTES`); ask for less',
  [ErrorCode.RateLimited]: 'Rate limit exceeded; retry after `retry_after_seconds` (the `Retry-After` header)',
  [ErrorCode.Internal]: 'Unexpected failure; the log has details under the request id',
  [ErrorCode.UpstreamInvalid]: 'squad-api answered outside its contract',
  [ErrorCode.UpstreamUnavailable]: 'squad-api is unavailable',
  [ErrorCode.DbUnavailable]: 'The database is unavailable',
  [ErrorCode.AuthUnavailable]: "The token issuer's keys are unavailable",
  [ErrorCode.UpstreamTimeout]: 'squad-api timed out',
  [ErrorCode.DbTimeout]: 'The database timed out',
};

function responsesFor(tool: ToolDefinition, suggestions: ErrorSuggestions): ResponsesObject {
  const example = recordedAnswer(tool.name);
  return {
    '200': {
      description: `The tool's structured output (${tool.output.name})`,
      content: { 'application/json': { schema: refTo(tool.output.name), ...(example === undefined ? {} : { example }) } },
    },
    ...errorResponses(TOOL_ERRORS, suggestions),
  };
}

function describe(tool: ToolDefinition, outputSchema: JsonSchema, maxResultBytes: number): string {
  const roles = tool.roles.join(', ');
  return `${operationDescription(tool, outputSchema, maxResultBytes)}\n\n**Tool version:** ${tool.version} · **Roles:** ${roles} · Also callable over MCP as \`${tool.name}\`.`;
}

type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type SchemaObject = Exclude<SchemaOrRef, { $ref: string }>;

function isFormatAlternative(schema: SchemaOrRef): boolean {
  return !('$ref' in schema) && Object.keys(schema).length === 1 && typeof schema.format === 'string';
}

/**
 * Finishes an input schema: an optional field may be sent as `null`, meaning absent; and a string
 * accepted in several formats (`anyOf` of formats, e.g. date or date-time) keeps its `type`, which
 * the document generator drops beside a combinator and which clients that flatten unions rely on.
 */
function finishInputSchema(schema: SchemaObject): void {
  schema.additionalProperties = false;
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries<SchemaOrRef>(schema.properties ?? {})) {
    if ('$ref' in property) {
      continue;
    }
    if (property.type === undefined && property.anyOf?.every(isFormatAlternative) === true) {
      property.type = 'string';
    }
    if (!required.has(name)) {
      property.nullable = true;
    }
  }
}

/** The Authorize dialog's text: what to paste, and where it comes from. */
export const KEY_SOURCES = [
  'An API key, or a JWT access token from the configured identity provider, sent as `Authorization: Bearer <key or token>`.',
  '**Development** (`npm start` with no key configured): the development key the server prints at start-up as ' +
    '`export SQUAD_MCP_KEY=…`, kept across restarts in `.data/development-key` (`DEV_KEY_FILE`); `cat .data/development-key` shows it.',
  '**Production**: a key the operator configured: `API_KEY_PRIMARY` or `API_KEY_SECONDARY` (service role), `ADMIN_API_KEY` ' +
    '(admin role) or one of `API_KEYS_FILE`; or an access token of the issuer set in `AUTH_ISSUER`.',
  'More in the repository: the README, section "Run it" (`README.md#run-it`), and `docs/security.md`.',
].join('\n\n');

/**
 * Builds the OpenAPI document from the tool registry: one `POST /v1/mcp/{tool}` operation per
 * tool, with the request and response schemas generated from the tools' DTOs.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  registry: ToolRegistry,
  version: string,
  { maxResultBytes, suggestions }: { maxResultBytes: number; suggestions: ErrorSuggestions },
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('squad-mcp')
    .setDescription(
      'Read-only tools over Squad data (players, squads, events, matches). Each tool is served over MCP at ' +
        '`POST /mcp` and mirrored here as `POST /v1/mcp/{tool}`: the body is the tool\'s arguments and a 200 ' +
        'carries its structured output.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: KEY_SOURCES }, API_KEY_SECURITY)
    .build();
  const tools = registry.list();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorBodyDto, ...tools.flatMap((tool) => [tool.input, tool.output])],
  });
  const schemas = document.components?.schemas ?? {};
  for (const tool of tools) {
    const input = schemas[tool.input.name];
    if (input !== undefined && !('$ref' in input)) {
      finishInputSchema(input);
    }
    const example = exampleArguments(tool.description);
    const operation: OperationObject = {
      operationId: tool.name,
      summary: tool.title,
      description: describe(tool, toJsonSchema(refTo(tool.output.name), schemas, 'output'), maxResultBytes),
      tags: [tool.domain],
      security: [{ [API_KEY_SECURITY]: [] }],
      parameters: [USER_ID_HEADER],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: refTo(tool.input.name), ...(example === undefined ? {} : { example }) } },
      },
      responses: responsesFor(tool, suggestions),
    };
    document.paths[`${REST_MIRROR_PREFIX}${tool.name}`] = { post: Object.assign(operation, { 'x-tool-version': tool.version }) };
  }
  return document;
}

/** Derives each tool's MCP input and output JSON Schemas from the same document. */
export function toolSchemasFrom(document: OpenAPIObject, tools: readonly ToolDefinition[]): Map<string, ToolSchemas> {
  const components = document.components?.schemas ?? {};
  return new Map(
    tools.map((tool) => [
      tool.name,
      {
        input: toJsonSchema(refTo(tool.input.name), components, 'input'),
        output: toJsonSchema(refTo(tool.output.name), components, 'output'),
      },
    ]),
  );
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, type ParameterObject, type ResponsesObject, SwaggerModule } from '@nestjs/swagger';

import { ErrorBodyDto } from '../../common/errors/error-body.dto';
import { toJsonSchema } from '../catalog/json-schema';
import type { JsonSchema, ToolDefinition, ToolSchemas } from '../catalog/tool-definition';
import { exampleArguments, operationDescription } from '../catalog/tool-description';
import type { ToolRegistry } from '../catalog/tool-registry';

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

const ERROR_RESPONSES: readonly [number, string][] = [
  [400, 'Invalid input (`invalid_input`), per field in `details`'],
  [401, 'Missing or invalid API key or token (`unauthorized`)'],
  [403, 'The key\'s role may not call this tool (`forbidden`)'],
  [404, 'An id that does not exist (`not_found`)'],
  [413, 'Request body over 100 kB (`payload_too_large`)'],
  [415, 'A body that is not `application/json` (`unsupported_media_type`)'],
  [429, 'Rate limit exceeded (`rate_limited`), see `Retry-After`'],
  [500, 'Unexpected failure (`internal_error`); the log has details under the request id'],
  [502, 'squad-api answered outside its contract (`upstream_invalid`)'],
  [503, 'squad-api, the database or the token issuer\'s keys are unavailable (`upstream_unavailable`, `db_unavailable`, `auth_unavailable`)'],
  [504, 'squad-api or the database timed out (`upstream_timeout`, `db_timeout`)'],
];

function responsesFor(tool: ToolDefinition): ResponsesObject {
  const errors = Object.fromEntries(
    ERROR_RESPONSES.map(([status, description]) => [
      String(status),
      { description, content: { 'application/json': { schema: refTo(ErrorBodyDto.name) } } },
    ]),
  );
  return {
    '200': {
      description: `The tool's structured output (${tool.output.name})`,
      content: { 'application/json': { schema: refTo(tool.output.name) } },
    },
    ...errors,
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

/**
 * Builds the OpenAPI document from the tool registry: one `POST /v1/mcp/{tool}` operation per
 * tool, with the request and response schemas generated from the tools' DTOs.
 */
export function buildOpenApiDocument(app: INestApplication, registry: ToolRegistry, version: string, maxResultBytes: number): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('squad-mcp')
    .setDescription(
      'Read-only tools over Squad data (players, squads, events, matches). Each tool is served over MCP at ' +
        '`POST /mcp` and mirrored here as `POST /v1/mcp/{tool}`: the body is the tool\'s arguments and a 200 ' +
        'carries its structured output.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, or a JWT access token from the configured identity provider (sent as `Authorization: Bearer <key or token>`)' }, API_KEY_SECURITY)
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
      responses: responsesFor(tool),
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

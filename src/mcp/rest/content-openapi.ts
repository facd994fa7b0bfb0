import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';

import { ErrorCode } from '../../common/errors/error-code';
import type { PromptCatalog } from '../catalog/prompt-catalog';
import type { PromptArgumentType, PromptDefinition } from '../catalog/prompt-definition';
import type { ResourceCatalog } from '../catalog/resource-catalog';
import { ALL_ROLES } from '../catalog/tool-definition';
import { type ErrorMeanings, errorResponses, type ErrorSuggestions } from './error-responses';
import { API_KEY_SECURITY } from './openapi-document';

export const RESOURCES_PATH = '/v1/resources';
export const PROMPTS_PREFIX = '/v1/prompts/';

const CONTENT_TAG = 'resources and prompts';

type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type SchemaObject = Exclude<SchemaOrRef, { $ref: string }>;

/** What a template's example reads: ids that exist in the demo world. */
const EXAMPLE_IDS: Readonly<Record<string, string>> = { player_id: '1', squad_id: '1', event_id: '1', match_id: '1', field_id: '1' };

/** Argument examples from the demo world, by argument name. */
const ARGUMENT_EXAMPLES: Readonly<Record<string, unknown>> = {
  squad_id: 2,
  opponent_squad_id: 10,
  player_id: 1,
  since: '2026-01-01',
  region: 'Texas',
  kind: 'scrimmage',
};

const PROMPT_ERRORS: ErrorMeanings = {
  [ErrorCode.InvalidInput]: 'A missing, unknown or malformed argument, per argument in `details`',
  [ErrorCode.Unauthorized]: 'Missing or invalid API key or token',
  [ErrorCode.NotFound]: 'No prompt has this name',
  [ErrorCode.RateLimited]: 'Rate limit exceeded; retry after `retry_after_seconds` (the `Retry-After` header)',
};

const RESOURCE_ERRORS: ErrorMeanings = {
  [ErrorCode.InvalidInput]: 'No uri, or one too long',
  [ErrorCode.Unauthorized]: 'Missing or invalid API key or token',
  [ErrorCode.Forbidden]: "The key's role may not read it",
  [ErrorCode.NotFound]: 'No resource has this URI, or its id does not exist',
  [ErrorCode.RateLimited]: 'Rate limit exceeded; retry after `retry_after_seconds` (the `Retry-After` header)',
  [ErrorCode.UpstreamUnavailable]: 'squad-api is unavailable',
  [ErrorCode.DbUnavailable]: 'The database is unavailable',
  [ErrorCode.UpstreamTimeout]: 'squad-api timed out',
  [ErrorCode.DbTimeout]: 'The database timed out',
};

function argumentSchema(type: PromptArgumentType, description: string): SchemaObject {
  switch (type.kind) {
    case 'id':
      return { type: 'integer', minimum: 1, description };
    case 'date':
      return { type: 'string', format: 'date', description };
    case 'text':
      return { type: 'string', minLength: 1, maxLength: type.maxLength, description };
    case 'choice':
      return { type: 'string', enum: [...type.values], description };
  }
}

function promptOperation(prompt: PromptDefinition, suggestions: ErrorSuggestions): OperationObject {
  const properties = Object.fromEntries(prompt.arguments.map((argument) => [argument.name, argumentSchema(argument.type, argument.description)]));
  const example = Object.fromEntries(prompt.arguments.map((argument) => [argument.name, ARGUMENT_EXAMPLES[argument.name]]));
  const required = prompt.arguments.filter((argument) => argument.required).map((argument) => argument.name);
  return {
    operationId: `prompt_${prompt.name}`,
    summary: `Prompt: ${prompt.title}`,
    description: `${prompt.description}\n\nThe body is the prompt's arguments; the answer is its messages, as MCP \`prompts/get\` returns them for \`${prompt.name}\`.`,
    tags: [CONTENT_TAG],
    security: [{ [API_KEY_SECURITY]: [] }],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties, required }, example } },
    },
    responses: {
      '200': {
        description: 'The rendered prompt: a description and the messages to send to the model',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                description: { type: 'string' },
                messages: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      role: { type: 'string', enum: ['user', 'assistant'] },
                      content: { type: 'object', properties: { type: { type: 'string', enum: ['text'] }, text: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      ...errorResponses(PROMPT_ERRORS, suggestions),
    },
  };
}

function resourceOperation(resources: ResourceCatalog, suggestions: ErrorSuggestions): OperationObject {
  const fixed = resources.fixed(ALL_ROLES).map((resource) => ({ uri: resource.uri, summary: resource.description ?? resource.name }));
  const templated = resources.templates(ALL_ROLES).map((template) => ({
    uri: template.uriTemplate.replace(/\{(\w+)\}/g, (_match, name: string) => EXAMPLE_IDS[name] ?? '1'),
    summary: template.description ?? template.name,
  }));
  const examples = Object.fromEntries([...fixed, ...templated].map(({ uri, summary }) => [uri, { value: uri, summary }]));
  const catalog = [...resources.fixed(ALL_ROLES).map((resource) => resource.uri), ...resources.templates(ALL_ROLES).map((template) => template.uriTemplate)];
  return {
    operationId: 'read_resource',
    summary: 'Read a resource',
    description:
      'Reads one MCP resource by its URI, as `resources/read` does: the body is the JSON of the tool behind it ' +
      `(a read is that tool's call, with the same roles, limits and errors). Resources: ${catalog.map((uri) => `\`${uri}\``).join(', ')}.`,
    tags: [CONTENT_TAG],
    security: [{ [API_KEY_SECURITY]: [] }],
    parameters: [{ name: 'uri', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 512 }, examples }],
    responses: {
      '200': { description: "The resource's JSON", content: { 'application/json': { schema: { type: 'object' } } } },
      ...errorResponses(RESOURCE_ERRORS, suggestions),
    },
  };
}

/** Adds the resource and prompt mirrors to the OpenAPI document, so /docs lists them beside the tools. */
export function addContentMirrors(document: OpenAPIObject, resources: ResourceCatalog, prompts: PromptCatalog, suggestions: ErrorSuggestions): void {
  document.paths[RESOURCES_PATH] = { get: resourceOperation(resources, suggestions) };
  for (const prompt of prompts.definitions()) {
    document.paths[`${PROMPTS_PREFIX}${prompt.name}`] = { post: promptOperation(prompt, suggestions) };
  }
}

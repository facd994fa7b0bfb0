import type { JsonSchema } from './tool-definition';

type Components = Readonly<Record<string, unknown>>;

const REF_PREFIX = '#/components/schemas/';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts an OpenAPI 3.0 schema from the generated document into self-contained JSON Schema
 * (2020-12) for MCP: `$ref`s are inlined, `nullable` becomes a `null` type, `example` becomes
 * `examples`.
 */
export function toJsonSchema(schema: unknown, components: Components, seen: readonly string[] = []): JsonSchema {
  if (!isRecord(schema)) {
    return {};
  }
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
    if (seen.includes(name)) {
      throw new Error(`Recursive schema ${name} cannot be inlined`);
    }
    return toJsonSchema(components[name], components, [...seen, name]);
  }
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'nullable':
        break;
      case 'example':
        result.examples = [value];
        break;
      case 'properties':
        result.properties = Object.fromEntries(
          Object.entries(isRecord(value) ? value : {}).map(([name, property]) => [name, toJsonSchema(property, components, seen)]),
        );
        break;
      case 'items':
        result.items = toJsonSchema(value, components, seen);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        result[key] = Array.isArray(value) ? value.map((part) => toJsonSchema(part, components, seen)) : value;
        break;
      default:
        result[key] = value;
    }
  }
  // What a schema does not name is not allowed, in arguments and outputs alike.
  if (result.properties !== undefined && result.additionalProperties === undefined) {
    result.additionalProperties = false;
  }
  if (schema.nullable === true && typeof result.type === 'string') {
    result.type = [result.type, 'null'];
    if (Array.isArray(result.enum)) {
      result.enum = [...(result.enum as unknown[]), null];
    }
  }
  return result;
}

import { isRecord } from '../../common/util/is-record';
import type { JsonSchema } from './tool-definition';

type Components = Readonly<Record<string, unknown>>;

/**
 * Which side of a tool a schema describes. Both are written for MCP clients and their models,
 * which read the tool description (with its one example call) and the input fields' prose; the
 * output side carries structure only (clients validate against it). Swagger keeps every field's
 * prose and example.
 * Neither uses type lists (`["integer", "null"]`), which several function-calling dialects reject:
 * an optional input that may be sent as `null` is advertised as merely optional (null still means
 * "absent" at run time), and an output that may be `null` says so with `anyOf`.
 */
export type SchemaSide = 'input' | 'output';

const REF_PREFIX = '#/components/schemas/';

function isFormatChoice(value: unknown): boolean {
  return Array.isArray(value) && value.every((part) => isRecord(part) && Object.keys(part).length === 1 && typeof part.format === 'string');
}

/** An output value that may also be `null`: the type becomes one alternative of two. */
function orNull(schema: JsonSchema): JsonSchema {
  const { type, anyOf, ...rest } = schema;
  const typed = anyOf === undefined ? { type } : { type, anyOf };
  const nullable: JsonSchema = { ...rest, anyOf: [typed, { type: 'null' }] };
  if (Array.isArray(rest.enum)) {
    nullable.enum = [...(rest.enum as unknown[]), null];
  }
  return nullable;
}

/**
 * Converts an OpenAPI 3.0 schema from the generated document into self-contained JSON Schema
 * (2020-12) for MCP: `$ref`s are inlined, every object is closed, `nullable` is told as above for
 * its side.
 */
export function toJsonSchema(schema: unknown, components: Components, side: SchemaSide, seen: readonly string[] = []): JsonSchema {
  if (!isRecord(schema)) {
    return {};
  }
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
    if (seen.includes(name)) {
      throw new Error(`Recursive schema ${name} cannot be inlined`);
    }
    return toJsonSchema(components[name], components, side, [...seen, name]);
  }
  const inner = (part: unknown): JsonSchema => toJsonSchema(part, components, side, seen);
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'nullable':
        break;
      case 'example':
        break;
      case 'description':
        if (side === 'input') {
          result.description = value;
        }
        break;
      case 'properties':
        result.properties = Object.fromEntries(Object.entries(isRecord(value) ? value : {}).map(([name, property]) => [name, inner(property)]));
        break;
      case 'items':
        result.items = inner(value);
        break;
      case 'anyOf':
        // A string accepted in several formats (date or date-time) says so in its description; a
        // choice of bare formats is the kind of union strict function-calling dialects refuse.
        if (side === 'input' && isFormatChoice(value)) {
          break;
        }
        result[key] = Array.isArray(value) ? value.map(inner) : value;
        break;
      case 'allOf':
      case 'oneOf':
        result[key] = Array.isArray(value) ? value.map(inner) : value;
        break;
      default:
        result[key] = value;
    }
  }
  // What a schema does not name is not allowed, in arguments and outputs alike.
  if (result.properties !== undefined && result.additionalProperties === undefined) {
    result.additionalProperties = false;
  }
  return schema.nullable === true && side === 'output' && typeof result.type === 'string' ? orNull(result) : result;
}

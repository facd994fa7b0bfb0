import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

import { MAX_ISO_INSTANT_LENGTH, parseIsoInstant } from '../util/iso-instant';
import { declareField } from './accepted-input';

/**
 * Field decorators that state a property's shape once: each applies the class-validator
 * rules that check requests and the OpenAPI metadata from which the Swagger page and the
 * MCP input/output schemas are derived.
 */
interface FieldOptions<T> {
  /** Left out only where the name, bounds and default say it all (the paging inputs, the id a get_ tool takes). */
  readonly description?: string;
  readonly example?: T;
  readonly optional?: boolean;
  readonly nullable?: boolean;
  readonly default?: T;
}

const MAX_DB_INT = 2_147_483_647;
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/**
 * An optional field may be omitted or sent as `null` (as strict function-calling models do for
 * unset fields): both mean "absent", so the default applies. A required field refuses both.
 */
function presence<T>(options: FieldOptions<T>): PropertyDecorator[] {
  if (isOptional(options)) {
    return [IsOptional(), Transform(({ value }: { value: unknown }) => (value === null ? undefined : value))];
  }
  return [IsDefined({ message: '$property is required' })];
}

/** Whether the field may be left out (or sent as null). */
function isOptional<T>(options: FieldOptions<T>): boolean {
  return options.optional === true || options.nullable === true;
}

function docs<T>(options: FieldOptions<T>, schema: Record<string, unknown>): PropertyDecorator {
  return ApiProperty({
    ...(options.description === undefined ? {} : { description: options.description }),
    required: options.optional !== true,
    ...(options.example === undefined ? {} : { example: options.example }),
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.nullable === true ? { nullable: true } : {}),
    ...schema,
  });
}

export function IntField(options: FieldOptions<number> & { min?: number; max?: number }): PropertyDecorator {
  const min = options.min ?? -MAX_DB_INT;
  const max = options.max ?? MAX_DB_INT;
  return applyDecorators(
    ...presence(options),
    IsInt({ message: '$property must be an integer' }),
    Min(min),
    Max(max),
    declareField(isOptional(options), { kind: 'int', min, max }),
    docs(options, { type: 'integer', minimum: min, maximum: max }),
  );
}

/**
 * A positive integer database id. Its schema says "positive integer": the column's ceiling is
 * checked like any bound but not advertised, since no real id comes near it.
 */
export function IdField(options: FieldOptions<number>): PropertyDecorator {
  return applyDecorators(
    ...presence(options),
    IsInt({ message: '$property must be an integer' }),
    Min(1),
    Max(MAX_DB_INT),
    declareField(isOptional(options), { kind: 'int', min: 1, max: MAX_DB_INT }),
    docs(options, { type: 'integer', minimum: 1 }),
  );
}

export function NumberField(options: FieldOptions<number>): PropertyDecorator {
  return applyDecorators(
    ...presence(options),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    declareField(isOptional(options), { kind: 'number' }),
    docs(options, { type: 'number' }),
  );
}

export function TextField(
  options: FieldOptions<string> & { minLength?: number; maxLength: number; pattern?: RegExp; format?: string },
): PropertyDecorator {
  const minLength = options.minLength ?? 0;
  const pattern = options.pattern ?? NO_CONTROL_CHARACTERS;
  const rules = [IsString(), MinLength(minLength), MaxLength(options.maxLength)];
  rules.push(options.pattern === undefined ? Matches(pattern, { message: '$property must not contain control characters' }) : Matches(pattern));
  return applyDecorators(
    ...presence(options),
    ...rules,
    declareField(isOptional(options), { kind: 'text', minLength, maxLength: options.maxLength, pattern }),
    docs(options, {
      type: 'string',
      minLength,
      maxLength: options.maxLength,
      ...(options.pattern === undefined ? {} : { pattern: options.pattern.source }),
      ...(options.format === undefined ? {} : { format: options.format }),
    }),
  );
}

export function EnumField<T extends string>(values: readonly T[], options: FieldOptions<T>): PropertyDecorator {
  return applyDecorators(
    ...presence(options),
    IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }),
    declareField(isOptional(options), { kind: 'enum', values }),
    docs(options, { type: 'string', enum: [...values] }),
  );
}

/** An ISO 8601 date-time, kept as the caller's string; services turn it into a Date. */
export function DateTimeField(options: FieldOptions<string>): PropertyDecorator {
  return applyDecorators(
    ...presence(options),
    IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be an ISO 8601 date-time' }),
    declareField(isOptional(options), { kind: 'unjudged' }),
    docs(options, { type: 'string', format: 'date-time' }),
  );
}

export function BooleanField(options: FieldOptions<boolean>): PropertyDecorator {
  return applyDecorators(...presence(options), IsBoolean(), declareField(isOptional(options), { kind: 'boolean' }), docs(options, { type: 'boolean' }));
}

export function NestedField(
  type: () => ClassType,
  options: FieldOptions<never> & { array?: boolean },
): PropertyDecorator {
  return applyDecorators(
    ...presence(options),
    ValidateNested({ each: options.array === true }),
    declareField(isOptional(options), { kind: 'unjudged' }),
    Type(type),
    // Swagger takes a function as a lazy type only when it is named `type`.
    docs(options, { type: () => type(), isArray: options.array === true }),
  );
}

const DATE_INPUT_MESSAGE = '$property must be an ISO 8601 date (YYYY-MM-DD) or date-time with a time zone, on a real calendar day';

/**
 * An ISO 8601 date (`2026-05-01`, midnight UTC) or date-time with a zone (`2026-05-01T18:00:00Z`)
 * given as input, parsed once here into a Date; anything `parseIsoInstant` refuses is `invalid_input`.
 */
export function DateInputField(options: FieldOptions<string>): PropertyDecorator {
  return applyDecorators(
    ...presence(options),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (parseIsoInstant(value) ?? value) : value)),
    IsDate({ message: DATE_INPUT_MESSAGE }),
    declareField(isOptional(options), { kind: 'date' }),
    docs(options, { type: 'string', maxLength: MAX_ISO_INSTANT_LENGTH, anyOf: [{ format: 'date' }, { format: 'date-time' }] }),
  );
}

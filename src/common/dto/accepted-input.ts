import { parseIsoInstant } from '../util/iso-instant';

/**
 * What a field decorator of `fields.ts` checks, stated once more in a form that needs no
 * reflection: enough to recognise, on the common path, an input that the full class-validator
 * run would accept, and to build the same DTO from it.
 */
export type FieldRule =
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'number' }
  | { readonly kind: 'text'; readonly minLength: number; readonly maxLength: number; readonly pattern: RegExp }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'date' }
  /** A field this check does not judge: an input carrying it always takes the full run. */
  | { readonly kind: 'unjudged' };

export interface DeclaredField {
  readonly property: string;
  readonly optional: boolean;
  readonly rule: FieldRule;
}

/** An input built when the check is sure of it, or undefined to leave the input to the full run. */
export type AcceptedInput<T> = (args: Readonly<Record<string, unknown>>) => T | undefined;

const declared = new Map<object, DeclaredField[]>();
const compiled = new WeakMap<object, AcceptedInput<object>>();

/** Records what a field decorator checks; called by each decorator of `fields.ts`. */
export function declareField(optional: boolean, rule: FieldRule): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') {
      return;
    }
    const fields = declared.get(prototype) ?? [];
    fields.push({ property, optional, rule });
    declared.set(prototype, fields);
  };
}

/** The fields of a class and of the classes it extends, the subclass's declaration winning. */
export function declaredFieldsOf(type: new () => object): ReadonlyMap<string, DeclaredField> {
  const fields = new Map<string, DeclaredField>();
  const chain: object[] = [];
  for (let prototype: object | null = type.prototype as object; prototype !== null && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype) as object | null) {
    chain.unshift(prototype);
  }
  for (const prototype of chain) {
    for (const field of declared.get(prototype) ?? []) {
      fields.set(field.property, field);
    }
  }
  return fields;
}

// Characters that make a string's length as class-validator counts it differ from `.length`.
const UNEVEN_LENGTH = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

/** The value to store when `value` certainly passes `rule`, or `NOT_SURE`. */
const NOT_SURE = Symbol('not sure');

function acceptedValue(rule: FieldRule, value: unknown): unknown {
  switch (rule.kind) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max ? value : NOT_SURE;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : NOT_SURE;
    case 'text':
      return typeof value === 'string' &&
        !UNEVEN_LENGTH.test(value) &&
        value.length >= rule.minLength &&
        value.length <= rule.maxLength &&
        value.match(rule.pattern) !== null
        ? value
        : NOT_SURE;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? value : NOT_SURE;
    case 'boolean':
      return typeof value === 'boolean' ? value : NOT_SURE;
    case 'date':
      return (typeof value === 'string' ? parseIsoInstant(value) : undefined) ?? NOT_SURE;
    case 'unjudged':
      return NOT_SURE;
  }
}

function compile<T extends object>(type: new () => T): AcceptedInput<T> {
  const fields = [...declaredFieldsOf(type).values()];
  return (args) => {
    const values: unknown[] = [];
    let present = 0;
    for (const field of fields) {
      const given = Object.hasOwn(args, field.property);
      const value = given ? args[field.property] : undefined;
      present += given ? 1 : 0;
      if (value === undefined || value === null) {
        // An absent optional field keeps the class's default; a missing required one is a refusal to word.
        if (!field.optional) {
          return undefined;
        }
        values.push(undefined);
        continue;
      }
      const accepted = acceptedValue(field.rule, value);
      if (accepted === NOT_SURE) {
        return undefined;
      }
      values.push(accepted);
    }
    // Any other key is an unknown field, which the full run words.
    if (Object.keys(args).length !== present) {
      return undefined;
    }
    const input = new type();
    const writable = input as Record<string, unknown>;
    fields.forEach((field, index) => {
      if (values[index] !== undefined) {
        writable[field.property] = values[index];
      }
    });
    return input;
  };
}

/** The check of one input class, compiled once. */
export function acceptedInputOf<T extends object>(type: new () => T): AcceptedInput<T> {
  let check = compiled.get(type) as AcceptedInput<T> | undefined;
  if (check === undefined) {
    check = compile(type);
    compiled.set(type, check);
  }
  return check;
}

import { Injectable, type Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';

import { acceptedInputOf } from '../../../common/dto/accepted-input';
import { AppError, type FieldProblem } from '../../../common/errors/app-error';
import { capped } from '../../../common/util/echo';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** How many problems a refusal lists, and how much of a field name it repeats: enough to correct a call, never an echo of the whole input. */
const MAX_LISTED_PROBLEMS = 5;
const MAX_FIELD_NAME_CHARS = 64;
const UNKNOWN_FIELD = 'unknown field';

const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
} as const;

function collectProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, UNKNOWN_FIELD),
    }));
    return [...own, ...collectProblems(error.children ?? [], field)];
  });
}

/** The refusal of bad input: the first few problems, field names cut short, and how many more there are. */
function refusalOf(problems: readonly FieldProblem[]): AppError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(({ field, message }) => ({ field: capped(field, MAX_FIELD_NAME_CHARS), message }));
  const rest = problems.slice(MAX_LISTED_PROBLEMS);
  if (rest.length === 0) {
    return AppError.invalidInput(listed);
  }
  const kind = rest.every((problem) => problem.message === UNKNOWN_FIELD) ? 'unknown fields' : 'problems';
  const summary = `${listed.map(({ field, message }) => `${field}: ${message}`).join('; ')}; and ${rest.length} more ${kind}`;
  return AppError.invalidInput(listed, summary);
}

/**
 * The input DTO of an arguments object by the full class-validator run, or the refusal wording
 * every problem: what the common path must agree with wherever it is sure of an input.
 */
export async function fullyValidated<T extends object>(type: Type<T>, args: object): Promise<T> {
  // A field transformed to `undefined` (an optional field sent as null) stays unset, so its default applies.
  const input = plainToInstance(type, args, { exposeDefaultValues: true, exposeUnsetFields: false });
  const problems = collectProblems(await validate(input, VALIDATION_OPTIONS));
  if (problems.length > 0) {
    throw refusalOf(problems);
  }
  return input;
}

/** Turns raw arguments into a validated input DTO, with no type coercion and no unknown fields. */
@Injectable()
export class ValidateInputStep implements ToolCallStep {
  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    return next({ ...call, args: await this.validate(call.tool.input, call.args) });
  }

  async validate<T extends object>(type: Type<T>, raw: unknown): Promise<T> {
    const args = raw ?? {};
    if (typeof args !== 'object' || Array.isArray(args)) {
      throw AppError.invalidInput([{ field: 'arguments', message: 'must be a JSON object' }]);
    }
    // Keys that would reach an object's prototype are refused before any object is built from them.
    const forbidden = Object.keys(args).filter((key) => PROTOTYPE_KEYS.has(key));
    if (forbidden.length > 0) {
      throw refusalOf(forbidden.map((field) => ({ field, message: UNKNOWN_FIELD })));
    }
    // Most inputs are plainly valid: built without reflection; the rest take the full run, which words the refusal.
    const accepted = acceptedInputOf(type)(args as Record<string, unknown>);
    if (accepted !== undefined) {
      return accepted;
    }
    return fullyValidated(type, args);
  }
}

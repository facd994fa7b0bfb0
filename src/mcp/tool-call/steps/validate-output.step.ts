import { Injectable } from '@nestjs/common';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { AppError } from '../../../common/errors/app-error';
import { ErrorCode } from '../../../common/errors/error-code';
import type { ToolDefinition } from '../../catalog/tool-definition';
import { ToolRegistry } from '../../catalog/tool-registry';
import type { NextStep, ToolCall, ToolCallStep, ToolOutcome } from '../tool-call';

/**
 * Checks every tool output against the output schema the tool declares, before it leaves on any
 * surface. A mismatch is a bug or an unmapped field: the caller gets `internal_error`, the log the reason.
 */
@Injectable()
export class ValidateOutputStep implements ToolCallStep {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: false }));
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly registry: ToolRegistry) {}

  async run(call: ToolCall, next: NextStep): Promise<ToolOutcome> {
    const outcome = await next(call);
    if (outcome.ok) {
      this.check(call.tool, outcome.output);
    }
    return outcome;
  }

  check(tool: ToolDefinition, output: object): void {
    const validate = this.validatorOf(tool.name);
    if (!validate(output)) {
      const problem = validate.errors?.map((error) => `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? ''}`).join('; ');
      throw new AppError(ErrorCode.Internal, undefined, { cause: new Error(`Output of ${tool.name} does not match its schema: ${problem ?? 'invalid'}`) });
    }
  }

  private validatorOf(name: string): ValidateFunction {
    let validate = this.validators.get(name);
    if (validate === undefined) {
      validate = this.ajv.compile(this.registry.schemasOf(name).output);
      this.validators.set(name, validate);
    }
    return validate;
  }
}

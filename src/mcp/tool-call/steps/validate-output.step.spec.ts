import { AppError } from '../../../common/errors/app-error';
import { ErrorCode } from '../../../common/errors/error-code';
import type { ToolDefinition } from '../../catalog/tool-definition';
import type { ToolRegistry } from '../../catalog/tool-registry';
import { ValidateOutputStep } from './validate-output.step';

const OUTPUT = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, played_at: { type: 'string', format: 'date-time' } },
  required: ['id', 'played_at'],
  additionalProperties: false,
};

describe(ValidateOutputStep, () => {
  const registry = { schemasOf: () => ({ input: {}, output: OUTPUT }) } as unknown as ToolRegistry;
  const validator = new ValidateOutputStep(registry);
  const tool = { name: 'get_thing' } as ToolDefinition;

  it('lets an output that fits its schema through', () => {
    expect(() => validator.check(tool, { id: 3, played_at: '2026-11-01T10:00:00.000Z' })).not.toThrow();
  });

  it.each([
    ['an undeclared field', { id: 3, played_at: '2026-11-01T10:00:00.000Z', email: 'a@b.c' }, 'must NOT have additional properties'],
    ['a wrong type', { id: '3', played_at: '2026-11-01T10:00:00.000Z' }, '/id must be integer'],
    ['a missing field', { id: 3 }, "must have required property 'played_at'"],
    ['a malformed date-time', { id: 3, played_at: 'yesterday' }, '/played_at must match format "date-time"'],
  ])('turns %s into internal_error carrying the reason for the log', (_name, output, reason) => {
    let thrown: unknown;
    try {
      validator.check(tool, output);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: ErrorCode.Internal, message: 'Internal error' });
    expect(String((thrown as AppError).cause)).toContain(reason);
  });
});

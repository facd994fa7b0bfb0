import { toJsonSchema } from './json-schema';

describe('toJsonSchema', () => {
  const components = {
    Line: { type: 'object', description: 'One line', properties: { id: { type: 'integer', example: 3, description: 'The id' } }, required: ['id'] },
    Page: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
        status: { type: 'string', enum: ['a', 'b'], nullable: true },
        score: { type: 'integer', nullable: true, minimum: 0 },
        either: { oneOf: [{ $ref: '#/components/schemas/Line' }, { type: 'string' }] },
      },
    },
    Query: {
      type: 'object',
      properties: {
        id: { type: 'integer', description: 'Which one', example: 7 },
        kind: { type: 'string', enum: ['a', 'b'], nullable: true },
        since: { type: 'string', description: 'ISO 8601 date or date-time', nullable: true, anyOf: [{ format: 'date' }, { format: 'date-time' }] },
      },
      required: ['id'],
    },
    Loop: { type: 'object', properties: { next: { $ref: '#/components/schemas/Loop' } } },
  };

  it('inlines references and closes every object, keeping an output to its structure', () => {
    const line = { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'], additionalProperties: false };
    expect(toJsonSchema({ $ref: '#/components/schemas/Page' }, components, 'output')).toEqual({
      type: 'object',
      properties: {
        items: { type: 'array', items: line },
        status: { enum: ['a', 'b', null], anyOf: [{ type: 'string' }, { type: 'null' }] },
        score: { minimum: 0, anyOf: [{ type: 'integer' }, { type: 'null' }] },
        either: { oneOf: [line, { type: 'string' }] },
      },
      additionalProperties: false,
    });
  });

  it('advertises a nullable input as merely optional, with its prose, without examples or a choice of formats', () => {
    expect(toJsonSchema({ $ref: '#/components/schemas/Query' }, components, 'input')).toEqual({
      type: 'object',
      properties: {
        id: { type: 'integer', description: 'Which one' },
        kind: { type: 'string', enum: ['a', 'b'] },
        since: { type: 'string', description: 'ISO 8601 date or date-time' },
      },
      required: ['id'],
      additionalProperties: false,
    });
  });

  it('keeps a nullable output that already chooses between formats as one alternative beside null', () => {
    const schema = { type: 'string', nullable: true, anyOf: [{ format: 'date' }, { format: 'date-time' }] };
    expect(toJsonSchema(schema, components, 'output')).toEqual({
      anyOf: [{ type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] }, { type: 'null' }],
    });
  });

  it('refuses a recursive schema it cannot inline', () => {
    expect(() => toJsonSchema({ $ref: '#/components/schemas/Loop' }, components, 'output')).toThrow('Recursive schema Loop');
  });

  it('treats a missing schema as unconstrained', () => {
    expect(toJsonSchema(undefined, components, 'input')).toEqual({});
    expect(toJsonSchema({ $ref: '#/components/schemas/Nope' }, components, 'output')).toEqual({});
  });
});

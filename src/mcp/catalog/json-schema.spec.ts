import { toJsonSchema } from './json-schema';

describe('toJsonSchema', () => {
  const components = {
    Line: { type: 'object', properties: { id: { type: 'integer', example: 3 } }, required: ['id'] },
    Page: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
        status: { type: 'string', enum: ['a', 'b'], nullable: true },
        score: { type: 'integer', nullable: true },
        either: { oneOf: [{ $ref: '#/components/schemas/Line' }, { type: 'string' }] },
      },
    },
    Loop: { type: 'object', properties: { next: { $ref: '#/components/schemas/Loop' } } },
  };

  it('inlines references, turns examples into JSON Schema examples and closes every object', () => {
    const schema = toJsonSchema({ $ref: '#/components/schemas/Page' }, components);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'integer', examples: [3] } }, required: ['id'], additionalProperties: false },
        },
        status: { type: ['string', 'null'], enum: ['a', 'b', null] },
        score: { type: ['integer', 'null'] },
        either: {
          oneOf: [
            { type: 'object', properties: { id: { type: 'integer', examples: [3] } }, required: ['id'], additionalProperties: false },
            { type: 'string' },
          ],
        },
      },
      additionalProperties: false,
    });
  });

  it('refuses a recursive schema it cannot inline', () => {
    expect(() => toJsonSchema({ $ref: '#/components/schemas/Loop' }, components)).toThrow('Recursive schema Loop');
  });

  it('treats a missing schema as unconstrained', () => {
    expect(toJsonSchema(undefined, components)).toEqual({});
    expect(toJsonSchema({ $ref: '#/components/schemas/Nope' }, components)).toEqual({});
  });
});

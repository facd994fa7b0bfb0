import type { Client } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import request from 'supertest';

import { connectMcp } from './support/mcp-client';
import { registeredToolNames, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Generated arguments for every tool, from its own input schema, plus the mutations real callers
 * send (nulls, wrong types, huge numbers, odd dates, unicode, deep nesting, prototype keys):
 * no answer is ever a 500, and no answer carries internals.
 */
type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[] };

const LEAKS = /TypeError|RangeError|SyntaxError|QueryFailedError|DatabaseError|AxiosError|SELECT |node_modules|\.ts:\d+|\n\s+at |127\.0\.0\.1|postgres/;

const someInstant = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });

/** A date input is a string whose description names the formats it takes. */
const isDateField = (schema: Schema): boolean => typeof schema.description === 'string' && schema.description.includes('ISO 8601');

function valueFor(schema: Schema): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) {
    return fc.constantFrom(...(schema.enum as unknown[]));
  }
  if (isDateField(schema)) {
    return fc.oneof(someInstant.map((date) => date.toISOString()), someInstant.map((date) => date.toISOString().slice(0, 10)));
  }
  const type = schema.type as string | undefined;
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
  switch (type ?? 'untyped') {
    case 'integer':
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 50) }), fc.integer({ min, max }));
    case 'number':
      return fc.double({ min, max, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.string({ minLength: Number(schema.minLength ?? 0), maxLength: Math.min(Number(schema.maxLength ?? 40), 40) });
    default:
      return fc.constant(null);
  }
}

function deeplyNested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) {
    value = [value];
  }
  return value;
}

const ODD_DATES = ['2024-W01', '2024-W01-1', '20240101', '2024-01-01T00:00:00,5Z', '2024-02-30', '0000-01-01', '2024-01-01T10:00:00', '9999-12-31T23:59:59+14:00'];
const ODD_NUMBERS = [1e308, -1e308, 2 ** 53 + 2, 2_147_483_648, -2_147_483_649, -0, 0.5, -1, 0];
const ODD_TEXT = ['\u0000', '\ud800', '💥'.repeat(50), 'ٱلسلام', 'e\u0301\u0301\u0301', '%_\\', "' OR 1=1 --", 'x'.repeat(5_000), ''];

/** Anything at all: other types, containers, deep nesting. */
const anyHostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...ODD_NUMBERS, ...ODD_DATES, ...ODD_TEXT),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.constant(deeplyNested(40)),
);

/** What callers really send for a field of this schema: null, edge values of its own type, or anything else. */
function hostileFor(schema: Schema): fc.Arbitrary<unknown> {
  const own = isDateField(schema)
    ? fc.constantFrom(...ODD_DATES)
    : schema.type === 'string'
      ? fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ unit: 'grapheme', maxLength: 200 }))
      : fc.constantFrom(...ODD_NUMBERS);
  return fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: own, weight: 3 }, { arbitrary: anyHostile, weight: 2 });
}

function argumentsFor(schema: Schema): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const valid = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueFor(property)])),
    { requiredKeys: [...required] },
  );
  const mutation = fc.oneof(
    { arbitrary: fc.constantFrom(...Object.keys(properties)).chain((key) => fc.tuple(fc.constant(key), hostileFor(properties[key]!))), weight: 6 },
    { arbitrary: fc.tuple(fc.constantFrom('unknown_field', '__proto__', 'constructor'), anyHostile), weight: 1 },
  );
  const mutated = fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([args, changes]) => {
    const copy: Record<string, unknown> = { ...args };
    for (const [key, value] of changes) {
      Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  });
  return fc.oneof({ arbitrary: valid, weight: 2 }, { arbitrary: mutated, weight: 6 }, { arbitrary: anyHostile, weight: 1 });
}

/** A successful page keeps its promises: a bounded page size, echoed, and no more items than it. */
function expectAnHonestPage(body: Record<string, unknown>): void {
  if (Array.isArray(body.items) && 'limit' in body) {
    expect(Number.isInteger(body.limit)).toBe(true);
    expect(body.limit).toBeGreaterThanOrEqual(1);
    expect(body.limit).toBeLessThanOrEqual(1000);
    expect(body.items.length).toBeLessThanOrEqual(body.limit as number);
    expect(body.next_offset).toBe(body.has_more === true ? (body.offset as number) + body.items.length : null);
  }
}

let app: TestApp;
let client: Client;
let schemas: Map<string, Schema>;
const headers = { Authorization: `Bearer ${SERVICE_KEY}`, 'X-User-ID': '1' };

beforeAll(async () => {
  app = await startTestApp();
  client = await connectMcp(app.url, SERVICE_KEY, 'modern', { 'X-User-ID': '1' });
  schemas = new Map((await client.listTools()).tools.map((tool) => [tool.name, tool.inputSchema as Schema]));
});

afterAll(async () => {
  await client.close();
  await app.close();
});

it('covers the whole catalog', () => {
  expect([...schemas.keys()].sort()).toEqual(registeredToolNames(app).sort());
});

describe('the REST mirror under generated and hostile arguments', () => {
  it('never answers 500 and never leaks internals, for any tool', async () => {
    const tools = [...schemas.keys()];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tools).chain((tool) => fc.tuple(fc.constant(tool), argumentsFor(schemas.get(tool)!))),
        async ([tool, args]) => {
          const res = await request(app.url).post(`/v1/mcp/${tool}`).set(headers).set('Content-Type', 'application/json').send(JSON.stringify(args));
          expect([200, 400, 404]).toContain(res.status);
          expect(res.text).not.toMatch(LEAKS);
          if (res.status === 200) {
            expectAnHonestPage(res.body as Record<string, unknown>);
          } else {
            expect(['invalid_input', 'not_found']).toContain((res.body as { code: string }).code);
            expect(res.body).toMatchObject({ request_id: res.headers['x-request-id'] as string });
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('MCP under generated and hostile arguments', () => {
  it('answers every call with a result that is either valid output or a readable error body', async () => {
    const tools = [...schemas.keys()];
    const objectArguments = (tool: string): fc.Arbitrary<Record<string, unknown>> =>
      argumentsFor(schemas.get(tool)!).filter((args): args is Record<string, unknown> => typeof args === 'object' && args !== null && !Array.isArray(args));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tools).chain((tool) => fc.tuple(fc.constant(tool), objectArguments(tool))),
        async ([tool, args]) => {
          let result;
          try {
            result = await client.callTool({ name: tool, arguments: args });
          } catch (error) {
            // Only a body nested too deeply is refused at the HTTP edge, before MCP runs.
            expect((error as Error).message).toContain('"code":"invalid_input"');
            expect((error as Error).message).toContain('nested more than 32 levels deep');
            return;
          }
          const text = (result.content as { type: string; text: string }[])[0]!.text;
          expect(text).not.toMatch(LEAKS);
          if (result.isError === true) {
            expect(result.structuredContent).toBeUndefined();
            expect(['invalid_input', 'not_found']).toContain((JSON.parse(text) as { code: string }).code);
          } else {
            expect(result.structuredContent).toEqual(JSON.parse(text));
            expectAnHonestPage(result.structuredContent as Record<string, unknown>);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

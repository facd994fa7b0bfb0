import 'reflect-metadata';

import { readdirSync } from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';

import { fullyValidated } from '../../mcp/tool-call/steps/validate-input.step';
import { acceptedInputOf, type DeclaredField, declaredFieldsOf, type FieldRule } from './accepted-input';

type InputClass = new () => object;

/** Every tool input class: the exported `…Input` classes of the domains' DTO files. */
async function inputClasses(): Promise<[string, InputClass][]> {
  const domains = path.join(__dirname, '..', '..', 'domains');
  const files = readdirSync(domains, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.dto.ts'));
  const classes: [string, InputClass][] = [];
  for (const file of files) {
    const exported = (await import(path.join(domains, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) {
      if (name.endsWith('Input') && typeof value === 'function') {
        classes.push([name, value as InputClass]);
      }
    }
  }
  return classes;
}

/** Values of every JSON kind, leaning on the edges the rules draw: bounds, calendars, odd characters. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0, 999, 1000, 1001, 1_000_000, 1_000_001, 2_147_483_647, 2_147_483_648, -2_147_483_647, -2_147_483_648, 1.5, -0),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('2026-01-01', '2026-02-30', '2026-02-28T10:00:00Z', '2026-02-28T10:00:00', '2026-02-28T10:00:00.123+02:00', '2026-13-01', '20260101'),
  fc.constantFrom('', 'a', 'Zoë', '😀 squad', 'a\uFE0F', 'tab\there', 'nul\u0000', 'upcoming', 'past', 'asc', 'desc', 'eliminations', 'wins'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ minLength: 95, maxLength: 260 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

/** Values a field's rule allows, so that inputs with several required fields are often wholly valid. */
function allowedBy(rule: FieldRule): fc.Arbitrary<unknown> {
  switch (rule.kind) {
    case 'int':
      return fc.oneof(fc.integer({ min: rule.min, max: Math.min(rule.max, rule.min + 50) }), fc.constantFrom(rule.min, rule.max));
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'text':
      // Characters that class-validator counts apart from `.length`, right at the bounds.
      return fc.oneof(
        fc.string({ minLength: rule.minLength, maxLength: Math.min(rule.maxLength, rule.minLength + 12) }),
        fc.constantFrom('😀', 'a\uFE0F', '\uFE0F', '\uFE0E', '🎯🎯', 'x'.repeat(rule.maxLength - 1) + '😀', 'x'.repeat(rule.maxLength) + '\uFE0F'),
      );
    case 'enum':
      return fc.constantFrom(...rule.values);
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.constantFrom('2026-01-01', '2025-12-31T23:59:59Z', '2026-06-01T12:00:00.5+02:00');
    case 'unjudged':
      return anyValue;
  }
}

function argumentsOf(fields: readonly DeclaredField[]): fc.Arbitrary<Record<string, unknown>> {
  const pairs = fields.map((field) =>
    fc.option(
      fc.tuple(
        fc.constant(field.property),
        fc.oneof({ arbitrary: allowedBy(field.rule), weight: 4 }, { arbitrary: anyValue, weight: 1 }),
      ),
      { freq: 6, nil: undefined },
    ),
  );
  const unknown = fc.option(fc.tuple(fc.constantFrom('shoe_size', 'playerId', 'LIMIT'), anyValue), { freq: 4, nil: undefined });
  return fc.tuple(fc.tuple(...pairs), unknown).map(([known, extra]) =>
    Object.fromEntries([...known, extra].filter((pair): pair is [string, unknown] => pair !== undefined)),
  );
}

describe('inputs accepted without the full validation run', () => {
  let classes: [string, InputClass][];

  beforeAll(async () => {
    classes = await inputClasses();
  });

  it('finds the tool input classes and the fields they declare', () => {
    expect(classes.length).toBeGreaterThanOrEqual(20);
    for (const [, type] of classes) {
      expect(declaredFieldsOf(type).size).toBeGreaterThan(0);
    }
  });

  it('builds exactly the DTO the full run builds, for every input it accepts, and leaves the rest to the full run', async () => {
    const accepted = new Map<string, number>();
    for (const [name, type] of classes) {
      await fc.assert(
        fc.asyncProperty(argumentsOf([...declaredFieldsOf(type).values()]), async (args) => {
          const quick = acceptedInputOf(type)(args);
          if (quick === undefined) {
            return;
          }
          accepted.set(name, (accepted.get(name) ?? 0) + 1);
          // The full run must accept the same input and build an equal object of the same class.
          expect(await fullyValidated(type, args)).toStrictEqual(quick);
        }),
        { numRuns: 400 },
      );
    }
    // The common path is taken for every class, so the comparison above is never empty.
    expect([...accepted.keys()].sort()).toEqual(classes.map(([name]) => name).sort());
  });

  it('takes valid inputs of one tool and refuses to judge the rest', () => {
    const type = classes.find(([name]) => name === 'GetPlayerStatsInput')?.[1];
    expect(type).toBeDefined();
    const check = acceptedInputOf(type!);
    expect(check({ player_id: 42 })).toEqual({ player_id: 42 });
    expect(check({ player_id: 42, since: '2026-01-01', until: null })).toEqual({ player_id: 42, since: new Date('2026-01-01T00:00:00Z') });
    for (const args of [{}, { player_id: 0 }, { player_id: '42' }, { player_id: 42, since: '2026-02-30' }, { player_id: 42, shoe_size: 44 }, { player_id: null }]) {
      expect(check(args)).toBeUndefined();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Pool } from 'pg';

import { createDatabase, dropDatabase } from '../../test/support/test-database';
import { type DemoApi, startDemoApi } from './demo-api';
import { DEMO_ROUTES } from './demo-api-queries';
import { endPool } from './end-pool';
import { seedDatabase } from './seed';
import { EVENT_KINDS, EVENT_STATUSES, MATCH_STATUSES, MEMBER_ROLES, POSITIONS } from './world-rows';

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface Operation {
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>;
}

interface Contract {
  paths: Record<string, { get: Operation }>;
  components: { schemas: Record<string, Schema> };
}

const contract = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'contracts', 'squad-api.openapi.json'), 'utf8'),
) as Contract;

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
};

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** Just enough JSON Schema to hold the demo API to the contract, including "no undeclared fields". */
function violations(value: unknown, schema: Schema, at = '$'): string[] {
  if (schema.$ref !== undefined) {
    const resolved = contract.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
    return resolved === undefined ? [`${at}: unresolved ${schema.$ref}`] : violations(value, resolved, at);
  }
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length > 0 && !types.some((type) => hasType(value, type))) {
    return [`${at}: ${JSON.stringify(value)} is not ${types.join(' | ')}`];
  }
  const problems: string[] = [];
  const fail = (rule: string): void => {
    problems.push(`${at}: ${JSON.stringify(value)} breaks ${rule}`);
  };
  if (schema.enum && !schema.enum.includes(value)) {
    fail(`enum ${JSON.stringify(schema.enum)}`);
  }
  if ('const' in schema && schema.const !== value) {
    fail(`const ${JSON.stringify(schema.const)}`);
  }
  if (typeof value === 'string') {
    const format = schema.format === undefined ? undefined : FORMATS[schema.format];
    if (format && !format.test(value)) {
      fail(`format ${schema.format ?? ''}`);
    }
    if (value.length < (schema.minLength ?? 0) || value.length > (schema.maxLength ?? Infinity)) {
      fail('length bounds');
    }
  }
  if (typeof value === 'number' && (value < (schema.minimum ?? -Infinity) || value > (schema.maximum ?? Infinity))) {
    fail('numeric bounds');
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, index) => problems.push(...violations(item, items, `${at}[${index}]`)));
  }
  if (hasType(value, 'object') && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) {
        problems.push(`${at}.${key}: required but missing`);
      }
    }
    for (const [key, field] of Object.entries(object)) {
      const declared = schema.properties[key];
      problems.push(...(declared ? violations(field, declared, `${at}.${key}`) : [`${at}.${key}: not in the contract`]));
    }
  }
  return problems;
}

describe('the demo squad-api against contracts/squad-api.openapi.json', () => {
  const name = `squad_demo_${randomBytes(4).toString('hex')}`;
  let pool: Pool;
  let api: DemoApi;
  const samples: Record<string, string[]> = {};

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createDatabase(name), max: 2 });
    await seedDatabase(pool, { now: new Date('2025-06-01T12:00:00.000Z') });
    api = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
    const { rows } = await pool.query<{ status: string; id: number }>(
      'SELECT DISTINCT ON (status) status, id FROM matches ORDER BY status, id',
    );
    const squadWithFormer = await pool.query<{ squad_id: number }>(
      'SELECT min(squad_id) AS squad_id FROM squad_members WHERE left_at IS NOT NULL',
    );
    // Every endpoint is tried with id 1; some with ids that reach other shapes of the data too.
    for (const { path } of DEMO_ROUTES) {
      samples[path] = [path.replace(/\{\w+\}/g, '1')];
    }
    samples['/api/players/{player_id}'] = ['/api/players/1', '/api/players/600'];
    samples['/api/squads/{squad_id}'] = ['/api/squads/1', '/api/squads/40'];
    samples['/api/squads/{squad_id}/members'] = [`/api/squads/${squadWithFormer.rows[0]?.squad_id ?? 0}/members`];
    samples['/api/events/{event_id}'] = ['/api/events/1', '/api/events/300'];
    samples['/api/matches/{match_id}'] = rows.map((row) => `/api/matches/${row.id}`);
  });

  afterAll(async () => {
    await api.close();
    await endPool(pool);
    await dropDatabase(name);
  });

  it('documents exactly the endpoints the demo serves', () => {
    expect(Object.keys(contract.paths).sort()).toEqual(DEMO_ROUTES.map((route) => route.path).sort());
  });

  it.each(Object.keys(contract.paths))('answers %s with bodies that fit the 200 schema', async (template) => {
    const schema = contract.paths[template]?.get.responses['200']?.content?.['application/json'].schema;
    expect(schema).toBeDefined();
    for (const path of samples[template] ?? []) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(200);
      expect(violations(await response.json(), schema!)).toEqual([]);
    }
  });

  it('would notice a drifted body: a renamed, mistyped, null or extra field', async () => {
    const player = (await (await fetch(`${api.url}/api/players/1`)).json()) as Record<string, unknown>;
    const { callsign, ...renamed } = player;
    const drifted = { ...renamed, handle: callsign, skill_rating: '1500', region: null, position: 'goalie' };
    expect(violations(drifted, { $ref: '#/components/schemas/Player' }).sort()).toEqual([
      '$.callsign: required but missing',
      '$.handle: not in the contract',
      '$.position: "goalie" breaks enum ["front","mid","back","flex"]',
      '$.region: null is not string',
      '$.skill_rating: "1500" is not integer',
    ]);
  });

  it('declares the same enums as the demo world uses', () => {
    const enumOf = (schema: string, property: string): unknown =>
      contract.components.schemas[schema]?.properties?.[property]?.enum;
    expect(enumOf('Player', 'position')).toEqual(POSITIONS);
    expect(enumOf('SquadMember', 'role')).toEqual(MEMBER_ROLES);
    expect(enumOf('Event', 'kind')).toEqual(EVENT_KINDS);
    expect(enumOf('Event', 'status')).toEqual(EVENT_STATUSES);
    expect(enumOf('Match', 'status')).toEqual(MATCH_STATUSES);
  });

  it.each([
    ['404', '/api/players/999999'],
    ['422', '/api/players/abc'],
  ])('answers %s with the documented error body', async (status, path) => {
    const response = await fetch(`${api.url}${path}`);
    expect(String(response.status)).toBe(status);
    const schema = contract.paths['/api/players/{player_id}']?.get.responses[status]?.content?.['application/json'].schema;
    expect(violations(await response.json(), schema!)).toEqual([]);
  });
});

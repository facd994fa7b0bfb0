// Generates TypeScript types for squad-api from its OpenAPI contract (contracts/squad-api.openapi.json).
// `node tools/contract-types.mjs` rewrites src/upstream/squad-api.types.ts; `--check` fails when it is stale.
// openapi-typescript would generate these types too, but it declares a peer of TypeScript 5 and refuses this
// project's TypeScript 6 without a forced install; the contract needs only this small subset of OpenAPI.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONTRACT = join(root, 'contracts', 'squad-api.openapi.json');
const OUTPUT = join(root, 'src', 'upstream', 'squad-api.types.ts');

function typeOf(schema) {
  if (schema.$ref !== undefined) {
    return schema.$ref.split('/').pop();
  }
  if (schema.enum !== undefined) {
    return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((type) => {
      switch (type) {
        case 'integer':
        case 'number':
          return 'number';
        case 'string':
        case 'boolean':
        case 'null':
          return type;
        case 'array':
          return `${wrap(typeOf(schema.items ?? {}))}[]`;
        case 'object':
          return objectType(schema, '');
        default:
          return 'unknown';
      }
    })
    .join(' | ');
}

function wrap(type) {
  return type.includes('|') ? `(${type})` : type;
}

function objectType(schema, indent) {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const doc = property.description === undefined ? '' : `${indent}  /** ${property.description} */\n`;
    return `${doc}${indent}  ${name}${required.has(name) ? '' : '?'}: ${typeOf(property)};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

export function generate(contract) {
  const header =
    '// Generated from contracts/squad-api.openapi.json by tools/contract-types.mjs; do not edit.\n' +
    '// After changing the contract, run `npm run contract:types`.\n';
  const blocks = Object.entries(contract.components.schemas).map(([name, schema]) => {
    const doc = schema.description === undefined ? '' : `/** ${schema.description} */\n`;
    return schema.type === 'object' || schema.properties !== undefined
      ? `${doc}export interface ${name} ${objectType(schema, '')}\n`
      : `${doc}export type ${name} = ${typeOf(schema)};\n`;
  });
  const names = Object.keys(contract.components.schemas);
  const index =
    '/** Each contract schema\'s name with its type. */\n' +
    `export interface SquadApiResources {\n${names.map((name) => `  ${name}: ${name};`).join('\n')}\n}\n`;
  // The schemas themselves, for checking squad-api's answers at run time against the same contract.
  const schemas =
    '/** The contract\'s component schemas (JSON Schema 2020-12), for checking squad-api\'s answers. */\n' +
    `export const SQUAD_API_SCHEMAS = ${JSON.stringify(contract.components.schemas, null, 2)} as const;\n`;
  return `${header}\n${blocks.join('\n')}\n${index}\n${schemas}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generated = generate(JSON.parse(readFileSync(CONTRACT, 'utf8')));
  if (process.argv.includes('--check')) {
    if (readFileSync(OUTPUT, 'utf8') !== generated) {
      process.stderr.write('src/upstream/squad-api.types.ts is stale: run npm run contract:types\n');
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, generated);
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
  readonly name: string;
  readonly version: string;
}

// Both src/ and dist/ sit one level below the package root.
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as PackageJson;

export const APP_NAME = packageJson.name;
export const APP_VERSION = packageJson.version;

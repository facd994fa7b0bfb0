import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { createDatabase } from './test-database';

export const LARGE_WORLD_SCALE = 20;

/**
 * One fresh database per run, seeded the way an operator would (`npm run seed`), and a larger
 * world for query-plan checks, seeded with the same command's built script.
 */
export default async function globalSetup(): Promise<void> {
  const stamp = `${process.pid}_${Date.now()}`;
  const url = await createDatabase(`squad_e2e_${stamp}`);
  execFileSync('npm', ['run', '--silent', 'seed'], {
    env: { ...process.env, DB_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const largeUrl = await createDatabase(`squad_e2e_large_${stamp}`);
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'demo', 'seed.cli.js'), '--scale', String(LARGE_WORLD_SCALE)], {
    env: { ...process.env, DB_URL: largeUrl },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.SQUAD_E2E_DB_NAME = `squad_e2e_${stamp}`;
  process.env.SQUAD_E2E_DB_URL = url;
  process.env.SQUAD_E2E_LARGE_DB_NAME = `squad_e2e_large_${stamp}`;
  process.env.SQUAD_E2E_LARGE_DB_URL = largeUrl;
}

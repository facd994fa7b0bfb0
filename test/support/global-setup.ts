import { execFileSync } from 'node:child_process';

import { createDatabase } from './test-database';

/**
 * One fresh database per run, seeded the way an operator would (`npm run seed`, which also builds
 * dist/ for the specs that start the built server). The larger world of the query-plan checks is
 * only named here: the first spec that needs it seeds it (see large-world.ts).
 */
export default async function globalSetup(): Promise<void> {
  const stamp = `${process.pid}_${Date.now()}`;
  const url = await createDatabase(`squad_e2e_${stamp}`);
  execFileSync('npm', ['run', '--silent', 'seed'], {
    env: { ...process.env, DB_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.SQUAD_E2E_DB_NAME = `squad_e2e_${stamp}`;
  process.env.SQUAD_E2E_DB_URL = url;
  process.env.SQUAD_E2E_LARGE_DB_NAME = `squad_e2e_large_${stamp}`;
}

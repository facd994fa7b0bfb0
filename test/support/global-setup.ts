import { execFileSync } from 'node:child_process';

import { createDatabase } from './test-database';

/** One fresh database per run, seeded the way an operator would: `npm run seed`. */
export default async function globalSetup(): Promise<void> {
  const name = `squad_e2e_${process.pid}_${Date.now()}`;
  const url = await createDatabase(name);
  execFileSync('npm', ['run', '--silent', 'seed'], {
    env: { ...process.env, DB_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.SQUAD_E2E_DB_NAME = name;
  process.env.SQUAD_E2E_DB_URL = url;
}

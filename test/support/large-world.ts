import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { createDatabase,databaseExists, databaseUrl, renameDatabase, withCreateLock } from './test-database';

export const LARGE_WORLD_SCALE = 20;
/** How long a spec's setup may take when it is the one that seeds the large world. */
export const LARGE_WORLD_SEED_MS = 300_000;

/**
 * The run's larger demo world (scale 20), for the query-plan checks: seeded by the first spec that
 * asks for it, under a lock, into a scratch database renamed into place once complete, so later
 * specs of the run (and a run that stopped half-way) never see a partial world.
 */
export async function largeWorldUrl(): Promise<string> {
  const name = process.env.SQUAD_E2E_LARGE_DB_NAME;
  if (name === undefined) {
    throw new Error('SQUAD_E2E_LARGE_DB_NAME is not set: run the e2e tests through jest (global setup names it)');
  }
  await withCreateLock(async () => {
    if (await databaseExists(name)) {
      return;
    }
    const scratch = `${name}_loading`;
    const url = await createDatabase(scratch);
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'demo', 'seed.cli.js'), '--scale', String(LARGE_WORLD_SCALE)], {
      env: { ...process.env, DB_URL: url },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await renameDatabase(scratch, name);
  });
  return databaseUrl(name);
}

import { config as loadDotEnv } from 'dotenv';
import { Pool } from 'pg';

import { loadConfig } from '../config/load-config';
import { ensureDatabase } from './ensure-database';
import { seedDatabase } from './seed';

/** `npm run seed [-- --scale N]`: creates the schema and loads the demo world into DB_URL. */
async function main(): Promise<void> {
  loadDotEnv({ quiet: true });
  // The production checks (squad-api, keys) concern the server, not this tool.
  const config = loadConfig({ ...process.env, ENVIRONMENT: undefined });
  if (config.db.url === undefined) {
    throw new Error('DB_URL is not set: name the database to seed, e.g. DB_URL=postgres://user@127.0.0.1:5432/squad');
  }
  const scaleFlag = process.argv.indexOf('--scale');
  const scale = scaleFlag === -1 ? 1 : Number(process.argv[scaleFlag + 1]);
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) {
    throw new Error('--scale must be an integer from 1 to 1000');
  }
  if (await ensureDatabase(config.db.url)) {
    process.stdout.write(`Created database ${new URL(config.db.url).pathname.slice(1)}\n`);
  }
  const pool = new Pool({ connectionString: config.db.url, max: 2 });
  try {
    const result = await seedDatabase(pool, {
      scale,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const counts = Object.entries(result.counts)
      .map(([table, count]) => `${table}=${count}`)
      .join(' ');
    process.stdout.write(`${result.seeded ? 'Seeded' : 'Already seeded'} (scale ${scale}): ${counts}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

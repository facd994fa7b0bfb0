import { config as loadDotEnv } from 'dotenv';
import { Pool } from 'pg';

import { loadConfig } from '../config/load-config';
import { endPool } from '../demo/end-pool';
import { embedderOf } from './embedder-of';
import { ingestFolder } from './ingest';

const USAGE = 'usage: npm run ingest -- --dir PATH [--replace]';

/**
 * `npm run ingest -- --dir PATH [--replace]`: loads a folder of markdown into DB_URL's document
 * store. Exits 0 when every file was ingested, 2 when some were refused (the rest written), 1 on failure.
 */
async function main(): Promise<void> {
  loadDotEnv({ quiet: true });
  // The production checks (squad-api, keys) concern the server, not this tool.
  const config = loadConfig({ ...process.env, ENVIRONMENT: undefined });
  if (config.db.url === undefined) {
    throw new Error('DB_URL is not set: name a database this user may write, e.g. DB_URL=postgres://user@127.0.0.1:5432/squad');
  }
  const args = process.argv.slice(2);
  const dirFlag = args.indexOf('--dir');
  const dir = dirFlag === -1 ? undefined : args[dirFlag + 1];
  const unknown = args.filter((arg, index) => !['--dir', '--replace'].includes(arg) && index !== dirFlag + 1);
  if (dir === undefined || dir.startsWith('--') || unknown.length > 0) {
    throw new Error(USAGE);
  }
  const pool = new Pool({ connectionString: config.db.url, max: 2 });
  try {
    const summary = await ingestFolder(pool, {
      dir,
      replace: args.includes('--replace'),
      embedder: embedderOf(config),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(
      `Ingested ${dir}: documents=${summary.documents} chunks=${summary.chunks} skipped=${summary.skipped} ` +
        `embedded=${summary.embedded} removed=${summary.removed} refused=${summary.refused} trimmed=${summary.trimmed} ` +
        `vectors=${summary.vectorStore} seconds=${summary.seconds}\n`,
    );
    if (summary.refused > 0) {
      // Exit 2: written what was good, but a script must notice what was not.
      process.stderr.write(`ingest refused ${summary.refused} file${summary.refused === 1 ? '' : 's'}: see the "refused" lines; every other file was written\n`);
      process.exitCode = 2;
    }
  } finally {
    await endPool(pool);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

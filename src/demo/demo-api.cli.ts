import { config as loadDotEnv } from 'dotenv';
import { Pool } from 'pg';

import { loadConfig } from '../config/load-config';
import { startDemoApi } from './demo-api';

/** `npm run demo-api`: the demo squad-api alone, on PORT over DB_URL. */
async function main(): Promise<void> {
  loadDotEnv({ quiet: true });
  // The production checks (squad-api, keys) concern the server, not this tool.
  const config = loadConfig({ ...process.env, ENVIRONMENT: undefined });
  if (config.db.url === undefined) {
    throw new Error('DB_URL is not set: the demo squad-api serves the database it names (seed it with npm run seed)');
  }
  const pool = new Pool({ connectionString: config.db.url, max: config.db.poolSize });
  const api = await startDemoApi({
    pool,
    host: config.host,
    port: config.port,
    serviceAuthToken: config.api.serviceAuthToken,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`demo squad-api listening on ${api.url}\n`);
  const stop = (): void => {
    void api
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-api failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

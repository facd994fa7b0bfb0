import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';

import { createApp } from '../../src/app.factory';
import type { SecretSource } from '../../src/auth/secrets.service';
import type { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/load-config';
import { startDemoApi } from '../../src/demo/demo-api';
import { ToolRegistry } from '../../src/mcp/catalog/tool-registry';
import { LogCapture } from './log-capture';
import { RecordingProxy } from './recording-proxy';

export const SERVICE_KEY = 'test-service-key-0123456789';
export const ADMIN_KEY = 'test-admin-key-0123456789abc';

export interface TestApp {
  readonly url: string;
  readonly app: NestExpressApplication;
  /** Every line the app logged, parsed. */
  readonly logs: LogCapture;
  /** A pool on the seeded test database, for independent SQL checks. */
  readonly db: Pool;
  close(): Promise<void>;
}

// nestjs-pino keeps one HTTP logger per process, built by the first app, so every app a test file
// starts writes its request lines there: one capture per file holds them all (filter by request id).
const logs = new LogCapture();

export function e2eDatabaseUrl(): string {
  const url = process.env.SQUAD_E2E_DB_URL;
  if (url === undefined) {
    throw new Error('SQUAD_E2E_DB_URL is not set: run the e2e tests through jest (global setup seeds it)');
  }
  return url;
}

/**
 * Starts squad-mcp on a free port over the seeded test database (or `options.database`), with
 * the demo squad-api in front of the same data unless `API_BASE_URL` is given.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { clock?: Clock; secrets?: SecretSource; modules?: readonly Type[]; database?: string } = {},
): Promise<TestApp> {
  const dbUrl = options.database ?? e2eDatabaseUrl();
  const db = new Pool({ connectionString: dbUrl, max: 4 });
  const demoApi = env.API_BASE_URL === undefined ? await startDemoApi({ pool: db, host: '127.0.0.1', port: 0 }) : undefined;
  const config = loadConfig({
    DB_URL: dbUrl,
    API_KEY_PRIMARY: SERVICE_KEY,
    ADMIN_API_KEY: ADMIN_KEY,
    // Functional suites make many calls with one key; the security suite sets real limits.
    RATE_LIMIT_RPM: '1000000',
    AUTH_FAILURES_PER_MINUTE: '100000',
    // Retries keep their default count; only their delays shrink, so the suites stay fast.
    API_RETRY_BASE_DELAY_MS: '20',
    // Suites count squad-api requests per call; the result-cache suite turns the cache on itself.
    RESULT_CACHE_TTL_SECONDS: '0',
    ...(demoApi === undefined ? {} : { API_BASE_URL: demoApi.url }),
    ...env,
  });
  const app = await createApp(config, {
    logger: logs.logger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.modules === undefined ? {} : { modules: options.modules }),
  });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    db,
    logs,
    close: async () => {
      await app.close();
      await demoApi?.close();
      await db.end();
    },
  };
}

/** squad-mcp with a recording proxy (see RecordingProxy) between it and the demo squad-api. */
export async function startTestAppBehindProxy(env: Record<string, string> = {}): Promise<TestApp & { proxy: RecordingProxy }> {
  const pool = new Pool({ connectionString: e2eDatabaseUrl(), max: 2 });
  const demoApi = await startDemoApi({ pool, host: '127.0.0.1', port: 0 });
  const proxy = new RecordingProxy(demoApi.url);
  const app = await startTestApp({ API_BASE_URL: await proxy.start(), ...env });
  return {
    ...app,
    proxy,
    close: async () => {
      await app.close();
      await proxy.stop();
      await demoApi.close();
      await pool.end();
    },
  };
}

/** The names of the tools an app registered: what its tools/list must show a caller of every role. */
export function registeredToolNames(app: TestApp): string[] {
  return app.app
    .get(ToolRegistry, { strict: false })
    .list()
    .map((tool) => tool.name);
}

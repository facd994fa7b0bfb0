import 'reflect-metadata';

import { config as loadDotEnv } from 'dotenv';

import { createApp } from './app.factory';
import type { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { embedMissingDependencies } from './embedded/embedded-default';
import { GracefulShutdown } from './lifecycle/graceful-shutdown';
import { logDestination } from './observability/log-destination';
import { atMostInfo, createRootLogger } from './observability/root-logger';

const ENV_FILE = '.env';

function configOrExit(): AppConfig {
  loadDotEnv({ path: ENV_FILE, quiet: true });
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.problems.map((problem) => `config error: ${problem}\n`).join(''));
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  // Variables set before the .env file was read win over it, on start and on every reload.
  const baseEnv = { ...process.env };
  const config = configOrExit();
  const rootLogger = createRootLogger(config.logLevel, logDestination(config));
  const logger = rootLogger.child({ context: 'Bootstrap' });
  // The start-up summary holds the only way in (the development key): it shows at any LOG_LEVEL.
  const announcer = rootLogger.child({ context: 'Bootstrap' }, { level: atMostInfo(config.logLevel) });
  const embedded = await embedMissingDependencies(config, (line) => {
    logger.debug(line);
  });
  const developmentKey = embedded.developmentKey === undefined ? {} : { ADMIN_API_KEY: embedded.developmentKey.key };
  const app = await createApp(embedded.config, {
    logger: rootLogger,
    secrets: { envFile: ENV_FILE, baseEnv: { ...baseEnv, ...developmentKey } },
  });
  await app.listen(embedded.config.port, embedded.config.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  announcer.info(`squad-mcp listening on ${url}: MCP at ${url}/mcp, Swagger UI at ${url}/docs`);
  if (embedded.developmentKey !== undefined) {
    // The next line is meant to be pasted into a shell: the README's examples read $SQUAD_MCP_KEY.
    announcer.info(`Development API key (admin role, ${embedded.config.rateLimitRpm} calls/min); for the examples in the README and docs/clients.md:`);
    announcer.info(`export SQUAD_MCP_KEY=${embedded.developmentKey.key}`);
  }
  for (const note of embedded.notes) {
    announcer.info(`Embedded: ${note}`);
  }
  const stop = (signal: NodeJS.Signals): void => {
    logger.info(`${signal} received: not ready from now, no new connections after the announce pause, finishing calls in flight`);
    void (async () => {
      const { finished, abandoned } = await app
        .get(GracefulShutdown)
        .drain(app.getHttpServer(), embedded.config.shutdownGraceMs, embedded.config.shutdownAnnounceMs);
      if (!finished) {
        logger.error({ event: 'shutdown_cut_off', abandoned }, `Grace period over: ${abandoned} call(s) cut off`);
      }
      await app.close();
      await embedded.close();
      logger.info('Shut down');
      // A non-zero status tells the platform that calls were lost.
      process.exit(finished ? 0 : 1);
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`squad-mcp failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import type { LoggerService } from '@nestjs/common';

import { FrameworkChatterAtDebug } from './framework-chatter';

describe('FrameworkChatterAtDebug', () => {
  const calls: [string, unknown[]][] = [];
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      calls.push([level, args]);
    };
  const inner: LoggerService = { log: record('log'), error: record('error'), warn: record('warn'), debug: record('debug'), verbose: record('verbose'), fatal: record('fatal') };
  const logger = new FrameworkChatterAtDebug(inner);

  beforeEach(() => {
    calls.length = 0;
  });

  it("turns Nest's start-up narration into debug lines", () => {
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/mcp, POST} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');
    expect(calls.map(([level]) => level)).toEqual(['debug', 'debug', 'debug']);
  });

  it("keeps the service's own lines and every warning and error at their level", () => {
    logger.log('Redis reachable again', 'RateLimit');
    logger.warn('a warning', 'InstanceLoader');
    logger.error('an error', 'NestApplication');
    logger.verbose('detail', 'Upstream');
    logger.fatal('gone', 'Bootstrap');
    expect(calls).toEqual([
      ['log', ['Redis reachable again', 'RateLimit']],
      ['warn', ['a warning', 'InstanceLoader']],
      ['error', ['an error', 'NestApplication']],
      ['verbose', ['detail', 'Upstream']],
      ['fatal', ['gone', 'Bootstrap']],
    ]);
  });
});

import type { Config } from 'jest';

/*
 * The scale-out tier (npm run test:scale): real HAProxy, PgBouncer, Redis and three squad-mcp
 * processes built from dist/, driven at a steady rate for about a minute and a half. It needs the
 * haproxy, pgbouncer and redis-server binaries and the PostgreSQL of the e2e tier, and runs alone.
 */
const config: Config = {
  rootDir: '../..',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  testRegex: ['test/scale/.*\\.scale-spec\\.ts$'],
  testTimeout: 60_000,
};

export default config;

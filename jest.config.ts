import type { Config } from 'jest';

/*
 * Two tiers, one config:
 *   unit  src/**\/*.spec.ts            no services, no seeding            npm run test:unit
 *   e2e   test/*.e2e-spec.ts,          real PostgreSQL and Redis, the     npm run test:e2e
 *         src/**\/*.db-spec.ts         demo world seeded once per run
 * `npm test` runs both with the coverage gate, as CI does. Any one file runs alone in its tier:
 * `npm run test:unit -- src/auth/sliding-window.spec.ts`, `npm run test:e2e -- test/security.e2e-spec.ts`.
 */
const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
} satisfies Config;

const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testRegex: ['src/.*\\.spec\\.ts$'] },
    {
      ...shared,
      displayName: 'e2e',
      testRegex: ['test/.*\\.e2e-spec\\.ts$', 'src/.*\\.db-spec\\.ts$'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/**/*.db-spec.ts', '!src/main.ts', '!src/**/*.cli.ts'],
  coverageDirectory: 'coverage',
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 80, branches: 80 } },
};

export default config;

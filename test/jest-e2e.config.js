// e2e suites: the real app over HTTP against a real PostgreSQL; each file gets its own database.
import { swcTransform } from './swc-transform.js';

export default {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: '..',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: swcTransform,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: two workers keep PostgreSQL and the suites from starving each other.
  maxWorkers: 2,
  reporters: ['default', ['<rootDir>/test/summary-reporter.js', { name: 'e2e' }]],
};

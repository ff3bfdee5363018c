// Unit specs: pure logic beside the code (the migration test kit's too), no database. Native ESM through @swc/jest.
import { swcTransform } from './test/swc-transform.js';

export default {
  displayName: 'unit',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/seeders/**/*.spec.ts', '<rootDir>/test/kit/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: swcTransform,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  reporters: ['default', ['<rootDir>/test/summary-reporter.js', { name: 'unit' }]],
};

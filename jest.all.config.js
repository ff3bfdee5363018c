// `npm test`: the unit specs and the e2e suites in one jest run, so that their coverage of src/ is merged
// into one report (coverage/coverage-summary.json, and a summary on the terminal) and the run fails below
// 80 % of lines. V8's own coverage: no instrumentation step, and it works with native ESM.
import unit from './jest.config.js';
import e2e from './test/jest-e2e.config.js';

// Per project: what to run and how; reporters, workers and timeouts are the run's.
const project = ({ reporters: _reporters, maxWorkers: _workers, testTimeout: _timeout, ...config }) => ({ ...config, rootDir: import.meta.dirname });

export default {
  projects: [project(unit), project(e2e)],
  maxWorkers: e2e.maxWorkers,
  testTimeout: e2e.testTimeout,
  reporters: ['default', ['<rootDir>/test/summary-reporter.js', { name: 'unit+e2e' }]],
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts'],
  coverageDirectory: 'coverage',
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { lines: 80 } },
};

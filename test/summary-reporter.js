// When JEST_SUMMARY_DIR is set (CI does), each jest run writes its pass/fail counts there, so .ci/run
// can print one total over unit, e2e and the second-PostgreSQL e2e run. Otherwise it does nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default class SummaryReporter {
  constructor(globalConfig, options = {}) {
    this.name = options.name ?? 'jest';
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.JEST_SUMMARY_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.name}-${process.pid}-${Date.now()}.json`);
    const summary = {
      name: this.name,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    writeFileSync(file, JSON.stringify(summary));
  }
}

// When JEST_SUMMARY_DIR is set (CI does), each jest run writes its aggregated results there, the same
// JSON that `jest --json` prints, so .ci/run can sum the counts of every run (`npm test`, the second e2e run)
// into one line. Otherwise it does nothing.
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
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites, numTotalTests, success } = results;
    const summary = { name: this.name, numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites, numTotalTests, success };
    writeFileSync(join(dir, `${this.name}-${process.pid}-${Date.now()}.json`), JSON.stringify(summary));
  }
}

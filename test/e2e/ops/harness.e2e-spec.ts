import { describe, expect, it } from '@jest/globals';
import { TEST_NAME } from '../../global-setup.js';

describe('the e2e harness refuses databases that are not marked as test databases', () => {
  it.each(['test', 'TEST', 'test_pl', 'ledger_test', 'ci-test-2', 'pipeline_ledger_test_b'])('accepts %s', (name) => {
    expect(TEST_NAME.test(name)).toBe(true);
  });

  it.each(['postgres', 'ledger', 'latest', 'contest', 'attestations_prod', 'testing'])('refuses %s', (name) => {
    expect(TEST_NAME.test(name)).toBe(false);
  });
});

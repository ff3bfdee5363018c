import { describe, expect, it } from '@jest/globals';
import { MigrationFailedError, MigrationLockBudgetError } from './migration.errors.js';
import { withLockRetries } from './migration-retries.js';

const lockTimeout = () => Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });

describe('withLockRetries', () => {
  it('retries a run rolled back by lock_timeout and reports what every attempt committed', async () => {
    let attempts = 0;
    const result = await withLockRetries(3, 100, async (done) => {
      attempts++;
      if (attempts === 1) {
        done.push('a_create_table'); // committed before a non-transactional migration, then a later segment timed out
        throw new MigrationFailedError('c_alter', 'up', new Error('wrapped', { cause: lockTimeout() }));
      }
      done.push('c_alter');
      return done;
    });
    expect(attempts).toBe(2);
    expect(result).toEqual(['a_create_table', 'c_alter']);
  });

  it('after the last attempt fails with the budget error, naming what stays applied', async () => {
    const run = withLockRetries(1, 250, async (done) => {
      if (!done.includes('a')) done.push('a');
      throw new MigrationFailedError('b', 'up', lockTimeout());
    });
    await expect(run).rejects.toBeInstanceOf(MigrationLockBudgetError);
    await expect(run).rejects.toThrow(/Migration b could not get the lock it needs within 250 ms, 2 time\(s\).*stays applied: a\./);
  });

  it('does not retry other failures, nor a non-transactional migration that failed half-way', async () => {
    let calls = 0;
    const failing = (error: Error) => async () => {
      calls++;
      throw error;
    };
    await expect(withLockRetries(5, 100, failing(new MigrationFailedError('x', 'up', new Error('syntax error'))))).rejects.toThrow(/syntax error/);
    await expect(withLockRetries(5, 100, failing(new MigrationFailedError('y', 'up', lockTimeout(), 'partial', false)))).rejects.toThrow(/partial/);
    expect(calls).toBe(2);
  });
});

import { describe, expect, it } from '@jest/globals';
import { MigrationFailedError, MigrationLockBudgetError } from './migration.errors.js';
import { withLockRetries } from './migration-retries.js';
import { MigrationBlockedError, OutsideMigrationFailedError, type OutsideReport } from './migration-blockers.js';
import type { Blocker } from './migration-blockers.sql.js';

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

  it('retries a concurrent index build whose invalid index was dropped, then names the transactions it waited for', async () => {
    const blocker: Blocker = { pid: 4242, applicationName: 'report', state: 'idle in transaction', xactStart: '2026-04-03T10:00:00Z', ageSeconds: 95, query: 'select 1' };
    const report: OutsideReport = { dropped: ['items_label_idx'], undropped: [], named: [], blockers: [blocker] };
    let calls = 0;
    const run = withLockRetries(2, 300, async () => {
      calls++;
      throw new OutsideMigrationFailedError('b_index', 'up', lockTimeout(), '', report, true);
    });
    await expect(run).rejects.toBeInstanceOf(MigrationBlockedError);
    await expect(run).rejects.toThrow(
      'Migration b_index could not get the locks it needs within 300 ms, 3 time(s); it waited for transactions older than itself ' +
        '(a concurrent index build waits for every one of them): pid 4242 (application_name "report", idle in transaction, ' +
        'transaction open for 95 s since 2026-04-03T10:00:00Z, query "select 1"). The invalid index its build left was dropped (items_label_idx). Nothing was applied.',
    );
    expect(calls).toBe(3);
    const error = (await run.catch((e: unknown) => e)) as MigrationBlockedError;
    expect(error.code).toBe('DATABASE.MIGRATION_LOCK_BUDGET');
    expect(error.extensions).toMatchObject({ migration: 'b_index', attempts: 3, blockers: [blocker], droppedIndexes: ['items_label_idx'] });
  });
});

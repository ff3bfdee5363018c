import { describe, expect, it, jest } from '@jest/globals';
import { currentDatabaseBudget, DatabaseBudget, DatabaseDeadlineError, enterDatabaseBudget, requestDeadlineMs } from './request-deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = () => new Promise<never>(() => undefined);

describe('a request database deadline', () => {
  it('is DB_STATEMENT_TIMEOUT_MS + 5 s, and none when the statement timeout is off', () => {
    expect(requestDeadlineMs({ statementTimeoutMs: 30_000 })).toBe(35_000);
    expect(requestDeadlineMs({ statementTimeoutMs: 0 })).toBe(0);
  });

  it('counts only the time a database call is pending, overlapping calls once', async () => {
    let now = 0;
    const budget = new DatabaseBudget(1_000, () => now);
    const first = budget.run(() => sleep(5).then(() => 'a'), jest.fn());
    const second = budget.run(() => sleep(5).then(() => 'b'), jest.fn());
    now = 300;
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    now = 5_000; // time between calls (a body arriving) is not the database's
    expect(budget.remainingMs()).toBe(700);
  });

  it('gives up on a call when the budget runs out, and hands what it started to abandon', async () => {
    const budget = new DatabaseBudget(30);
    const abandon = jest.fn();
    const started = performance.now();
    await expect(budget.run(never, abandon)).rejects.toBeInstanceOf(DatabaseDeadlineError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(abandon).toHaveBeenCalledWith(expect.any(Promise));
  });

  it('starts nothing once the budget is spent, and says so', async () => {
    const budget = new DatabaseBudget(20);
    await expect(budget.run(never, () => undefined)).rejects.toThrow(/deadline \(20 ms\)/);
    const start = jest.fn(never);
    const abandon = jest.fn();
    await expect(budget.run(start, abandon)).rejects.toMatchObject({ code: 'DATABASE.UNAVAILABLE' });
    expect(start).not.toHaveBeenCalled();
    expect(abandon).toHaveBeenCalledWith(undefined);
  });

  it('counts the budget spent once its timer has fired, even if the clock says otherwise (timers fire early)', async () => {
    const budget = new DatabaseBudget(10, () => 0);
    await expect(budget.run(never, () => undefined)).rejects.toBeInstanceOf(DatabaseDeadlineError);
    expect(budget.remainingMs()).toBe(0);
    const start = jest.fn(never);
    await expect(budget.run(start, jest.fn())).rejects.toMatchObject({ code: 'DATABASE.UNAVAILABLE' });
    expect(start).not.toHaveBeenCalled();
  });

  it('passes a failing call on as it is', async () => {
    const budget = new DatabaseBudget(1_000);
    const error = new Error('connect ECONNREFUSED');
    await expect(budget.run(() => Promise.reject(error), jest.fn())).rejects.toBe(error);
  });

  it('holds nothing to it once the request has been answered (a timer it set lives on in its context)', async () => {
    const budget = new DatabaseBudget(1_000);
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        enterDatabaseBudget(budget);
        expect(currentDatabaseBudget()).toBe(budget);
        budget.finish();
        expect(currentDatabaseBudget()).toBeUndefined();
        resolve();
      });
    });
  });
});

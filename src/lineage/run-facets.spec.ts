import { describe, expect, it } from '@jest/globals';
import { runScheduleOf } from './run-facets.js';

describe('runScheduleOf', () => {
  it('reads the nominal end as the time the run stands for (else the start), in UTC', () => {
    expect(runScheduleOf({ nominalTime: { nominalStartTime: '2020-12-17T03:00:00.001Z', nominalEndTime: '2020-12-17T04:00:00.001Z' } }))
      .toEqual({ nominalTime: '2020-12-17T04:00:00.001Z', attempt: 1, maxAttempts: null });
    expect(runScheduleOf({ nominalTime: { nominalStartTime: '2026-03-29T02:30:00+02:00' } }).nominalTime).toBe('2026-03-29T00:30:00.000Z');
  });

  it("maps Airflow's try number and retries to attempt and max_attempts (retries + 1)", () => {
    expect(runScheduleOf({ airflow: { taskInstance: { try_number: 2 }, task: { retries: 3 } } })).toEqual({ nominalTime: null, attempt: 2, maxAttempts: 4 });
    expect(runScheduleOf({ airflow: { taskInstance: { try_number: 1, max_tries: 1 } } })).toEqual({ nominalTime: null, attempt: 1, maxAttempts: 2 });
  });

  it('ignores values of the wrong type or out of range instead of refusing the event', () => {
    expect(runScheduleOf({ nominalTime: { nominalStartTime: 'yesterday' }, airflow: { taskInstance: { try_number: '2' }, task: { retries: -1 } } }))
      .toEqual({ nominalTime: null, attempt: 1, maxAttempts: null });
    expect(runScheduleOf({ airflow: { taskInstance: { try_number: 5 }, task: { retries: 1 } } })).toEqual({ nominalTime: null, attempt: 5, maxAttempts: null });
    expect(runScheduleOf(undefined)).toEqual({ nominalTime: null, attempt: 1, maxAttempts: null });
  });
});

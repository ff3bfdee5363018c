import { describe, expect, it } from '@jest/globals';
import { EARLY_START_MS, planDeadline } from './deadlines.js';

const BERLIN = { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin', grace: 'PT15M' };
const d = (iso: string) => new Date(iso);

describe('planDeadline (cron freshness position)', () => {
  it('a monitor never positioned starts at the next deadline after now, checking nothing', () => {
    // Monday 30 November 2026, 05:10 UTC: 06:00 Berlin today is 05:00 UTC, its deadline 05:15 is still ahead.
    expect(planDeadline(BERLIN, { occurrence: null, deadline: null }, d('2026-11-30T05:10:00Z'), false)).toEqual({
      checked: null,
      checkedDeadline: null,
      checkedFrom: null,
      next: { occurrence: d('2026-11-30T05:00:00Z'), deadline: d('2026-11-30T05:15:00Z') },
    });
  });

  it('a due deadline checks its occurrence and moves to the next weekday one (Friday → Monday)', () => {
    const plan = planDeadline(BERLIN, { occurrence: d('2026-12-04T05:00:00Z'), deadline: d('2026-12-04T05:15:00Z') }, d('2026-12-04T05:15:00Z'), false);
    expect(plan).toEqual({
      checked: d('2026-12-04T05:00:00Z'),
      checkedDeadline: d('2026-12-04T05:15:00Z'),
      checkedFrom: d('2026-12-04T04:55:00Z'),
      next: { occurrence: d('2026-12-07T05:00:00Z'), deadline: d('2026-12-07T05:15:00Z') },
    });
  });

  it('after downtime it checks only the newest passed deadline', () => {
    const plan = planDeadline(BERLIN, { occurrence: d('2026-11-30T05:00:00Z'), deadline: d('2026-11-30T05:15:00Z') }, d('2026-12-03T05:14:00Z'), false);
    expect(plan.checked).toEqual(d('2026-12-02T05:00:00Z')); // Thursday's is not due until 05:15
    expect(plan.next?.occurrence).toEqual(d('2026-12-03T05:00:00Z'));
  });

  it('not due with an open incident: re-checks the occurrence before the stored one, and keeps the position', () => {
    const plan = planDeadline(BERLIN, { occurrence: d('2026-12-07T05:00:00Z'), deadline: d('2026-12-07T05:15:00Z') }, d('2026-12-05T10:00:00Z'), true);
    expect(plan).toEqual({ checked: d('2026-12-04T05:00:00Z'), checkedDeadline: d('2026-12-04T05:15:00Z'), checkedFrom: d('2026-12-04T04:55:00Z'), next: null });
  });

  it('not due and nothing open: nothing to do', () => {
    expect(planDeadline(BERLIN, { occurrence: d('2026-12-07T05:00:00Z'), deadline: d('2026-12-07T05:15:00Z') }, d('2026-12-05T10:00:00Z'), false)).toEqual({
      checked: null,
      checkedDeadline: null,
      checkedFrom: null,
      next: null,
    });
  });

  it('a run may start up to five minutes before its occurrence, or half the gap to the previous one when shorter', () => {
    expect(EARLY_START_MS).toBe(5 * 60_000);
    const due = { occurrence: d('2026-12-04T06:00:00Z'), deadline: d('2026-12-04T06:00:00Z') };
    expect(planDeadline({ cron: '0 6 * * *', timezone: 'UTC' }, due, d('2026-12-04T06:00:00Z'), false).checkedFrom).toEqual(d('2026-12-04T05:55:00Z'));
    // Every two minutes: one minute early at most, so the 05:58 run never counts for 06:00.
    expect(planDeadline({ cron: '*/2 * * * *', timezone: 'UTC' }, due, d('2026-12-04T06:00:00Z'), false).checkedFrom).toEqual(d('2026-12-04T05:59:00Z'));
  });

  it('a time zone this runtime does not know checks nothing rather than failing the tick', () => {
    const plan = planDeadline({ cron: '0 6 * * *', timezone: 'Mars/Olympus' }, { occurrence: null, deadline: d('2026-12-01T00:00:00Z') }, d('2026-12-04T00:00:00Z'), true);
    expect(plan).toMatchObject({ checked: null, next: null, unreadable: expect.stringContaining('Mars/Olympus') });
  });
});

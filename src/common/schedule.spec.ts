import { describe, expect, it } from '@jest/globals';
import { isTimeZone, parseCronSchedule } from './schedule.js';
import { InvalidRequestError } from './invalid-request.error.js';

const at = { cron: '/params/cron', timezone: '/params/timezone' };
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('cron schedules in a time zone, across DST', () => {
  it('Europe/Berlin spring forward (2026-03-29): 02:30 does not exist, so it fires once at 03:00 CEST; previous agrees with next', () => {
    const s = parseCronSchedule('30 2 * * *', 'Europe/Berlin', at);
    expect(iso(s.next(new Date('2026-03-28T12:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(s.previous(new Date('2026-03-29T01:45:00Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(s.next(new Date('2026-03-29T01:00:00Z')))).toBe('2026-03-30T00:30:00.000Z');
  });

  it('Europe/Berlin fall back (2026-10-25): 02:30 happens twice and fires once, at the first (CEST)', () => {
    const s = parseCronSchedule('30 2 * * *', 'Europe/Berlin', at);
    expect(iso(s.next(new Date('2026-10-24T12:00:00Z')))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(s.next(new Date('2026-10-25T00:30:00Z')))).toBe('2026-10-26T01:30:00.000Z');
    expect(iso(s.previous(new Date('2026-10-25T01:45:00Z')))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('America/New_York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    const s = parseCronSchedule('30 2 * * *', 'America/New_York', at);
    expect(iso(s.next(new Date('2026-03-07T12:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(s.previous(new Date('2026-03-08T08:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    const once = parseCronSchedule('30 1 * * *', 'America/New_York', at);
    expect(iso(once.next(new Date('2026-10-31T12:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(once.next(new Date('2026-11-01T05:30:00Z')))).toBe('2026-11-02T06:30:00.000Z');
  });

  it('a weekday deadline skips the weekend: after Friday 06:00 Berlin comes Monday 06:00 CEST', () => {
    const s = parseCronSchedule('0 6 * * 1-5', 'Europe/Berlin', at);
    expect(iso(s.next(new Date('2026-03-27T05:00:00Z')))).toBe('2026-03-30T04:00:00.000Z');
    expect(iso(s.previous(new Date('2026-03-29T12:00:00Z')))).toBe('2026-03-27T05:00:00.000Z');
  });

  it('previous is "at or before": a deadline exactly now counts as passed', () => {
    const s = parseCronSchedule('0 * * * *', 'UTC', at);
    expect(iso(s.previous(new Date('2026-01-01T10:00:00Z')))).toBe('2026-01-01T10:00:00.000Z');
  });
});

describe('bad schedules name the field', () => {
  const reason = (cron: string, zone: string) => {
    try {
      parseCronSchedule(cron, zone, at);
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      return (error as InvalidRequestError).extensions.errors as { pointer: string }[];
    }
  };

  it.each(['61 * * * *', '0 6 * *', '0 6 * * 1-8', '* * * * * *', 'nonsense'])('cron %j is refused naming params.cron', (cron) => {
    expect(reason(cron, 'UTC')).toEqual([expect.objectContaining({ pointer: '/params/cron' })]);
  });

  it.each(['Mars/Olympus', '', 'Europe/Berlin ', 'x'.repeat(65)])('time zone %j is refused naming params.timezone', (zone) => {
    expect(reason('0 6 * * *', zone)).toEqual([expect.objectContaining({ pointer: '/params/timezone' })]);
  });

  it('accepts zones Intl knows but supportedValuesOf leaves out', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'Europe/Kyiv', 'Asia/Kolkata']) expect(isTimeZone(zone)).toBe(true);
  });
});

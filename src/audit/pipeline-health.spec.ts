import { describe, expect, it } from '@jest/globals';
import { healthOf, nextExpectedAt, type HealthInputs } from './pipeline-health.js';

const base: HealthInputs = { schedule: null, lastRun: { status: 'succeeded', attempt: 1, maxAttempts: null }, lastCoveredAt: '2026-03-28T06:00:00.000Z', since: '2026-01-01T00:00:00.000Z' };
const now = new Date('2026-03-30T12:00:00.000Z');

describe('pipeline health', () => {
  it('follows the precedence unknown, running, failing, late, healthy', () => {
    const late = { ...base, schedule: { everyMs: 3_600_000 } };
    expect(healthOf({ ...late, lastRun: null }, nextExpectedAt(late), now)).toBe('unknown');
    expect(healthOf({ ...late, lastRun: { status: 'running', attempt: 1, maxAttempts: null } }, nextExpectedAt(late), now)).toBe('running');
    expect(healthOf({ ...late, lastRun: { status: 'failed', attempt: 1, maxAttempts: null } }, nextExpectedAt(late), now)).toBe('failing');
    expect(healthOf(late, nextExpectedAt(late), now)).toBe('late');
    expect(healthOf(base, nextExpectedAt(base), now)).toBe('healthy');
  });

  it('a failed attempt that will be retried is not failing', () => {
    expect(healthOf({ ...base, lastRun: { status: 'failed', attempt: 1, maxAttempts: 3 } }, null, now)).toBe('healthy');
    expect(healthOf({ ...base, lastRun: { status: 'failed', attempt: 3, maxAttempts: 3 } }, null, now)).toBe('failing');
  });

  it('expects a cron schedule at its next occurrence after the last covered period, in its time zone (across DST)', () => {
    // 06:00 in Berlin: 05:00Z before the switch on 2026-03-29, 04:00Z after.
    const cron = { ...base, schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin' } };
    expect(nextExpectedAt({ ...cron, lastCoveredAt: '2026-03-28T05:00:00.000Z' })?.toISOString()).toBe('2026-03-29T04:00:00.000Z');
    expect(healthOf({ ...cron, lastCoveredAt: '2026-03-29T04:00:00.000Z' }, nextExpectedAt({ ...cron, lastCoveredAt: '2026-03-29T04:00:00.000Z' }), now)).toBe('late');
  });

  it('expects `every` after the last covered run, else after the pipeline was first seen; nothing without a schedule', () => {
    expect(nextExpectedAt({ ...base, schedule: { everyMs: 86_400_000 } })?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(nextExpectedAt({ ...base, lastCoveredAt: null, schedule: { everyMs: 86_400_000 } })?.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(nextExpectedAt(base)).toBeNull();
  });
});

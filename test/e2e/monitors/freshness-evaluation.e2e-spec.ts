import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MonitorsTick } from '../../../src/monitors/evaluation/monitors-tick.service.js';
import type { OpenSubject } from '../../../src/monitors/evaluation/signal-sink.js';
import { ManualClock } from '../../support/clock.js';
import { monitorFixtures, of } from '../../support/monitor-fixtures.js';
import { useOrmDatabase } from '../../support/orm.js';

const at = (iso: string, ms = 0) => new Date(new Date(iso).getTime() + ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Freshness monitors evaluated at moved times: max_age, cron deadlines across DST, catch-up, late runs, auto. */
describe('freshness evaluation', () => {
  const t = useOrmDatabase();
  const f = monitorFixtures(() => t.orm);
  const tick = new MonitorsTick();
  const clock = new ManualClock();
  const evaluate = (open: OpenSubject[] = []) => tick.evaluate(t.orm.em.fork(), clock.now(), open);
  const openFor = (monitorId: string, pipeline: string): OpenSubject[] => [{ monitorId, kind: 'freshness', subject: pipeline, pipelineName: pipeline, severity: 'critical' }];

  it('max_age fires once the newest covered period is older than max_age, and is healthy again after a success', async () => {
    const id = await f.monitor('fresh_max_age', 'freshness', { max_age: 'PT26H' });
    const run = await f.succeeded('fresh_max_age', '2026-06-01T02:00:00Z');
    clock.set('2026-06-02T03:59:00Z');
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: false, subject: 'fresh_max_age', kind: 'freshness' })]);
    clock.set('2026-06-02T04:00:00Z');
    const [late] = of(await evaluate(), id);
    expect(late).toMatchObject({
      firing: true,
      severity: 'critical',
      pipelineName: 'fresh_max_age',
      evidence: { rule: 'max_age', max_age: 'PT26H', last_covered_period: '2026-06-01T02:00:00.000Z', last_covered_by: run, late_since: '2026-06-02T04:00:00.000Z' },
    });
    await f.succeeded('fresh_max_age', '2026-06-02T04:10:00Z');
    clock.set('2026-06-02T04:20:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(false);
  });

  it('a backfilled or late run for an older period neither resolves nor reopens max_age freshness', async () => {
    const id = await f.monitor('fresh_backfill', 'freshness', { max_age: 'PT26H' });
    await f.succeeded('fresh_backfill', '2026-06-01T02:00:00Z');
    clock.set('2026-06-03T09:00:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(true);
    // Started now, but covers a period before the newest one: coverage does not move.
    await f.succeeded('fresh_backfill', '2026-06-03T08:50:00Z', 5, '2026-05-20T02:00:00Z');
    expect(of(await evaluate(), id)[0]).toMatchObject({ firing: true, evidence: { last_covered_period: '2026-06-01T02:00:00.000Z' } });
    // Caught up: then a late run for an older period arrives and changes nothing.
    await f.succeeded('fresh_backfill', '2026-06-03T09:00:00Z', 5, '2026-06-03T02:00:00Z');
    clock.set('2026-06-03T10:00:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(false);
    await f.succeeded('fresh_backfill', '2026-06-03T10:00:00Z', 5, '2026-06-02T02:00:00Z');
    expect(of(await evaluate(), id)[0]).toMatchObject({ firing: false, evidence: { last_covered_period: '2026-06-03T02:00:00.000Z' } });
  });

  it('a pipeline that never succeeded is measured from the monitor creation', async () => {
    const id = await f.monitor('fresh_never', 'freshness', { max_age: 'PT1H' }, { createdAt: '2026-06-05T10:00:00Z' });
    clock.set('2026-06-05T10:30:00Z');
    expect(of(await evaluate(), id)[0]).toMatchObject({ firing: false, evidence: { last_covered_period: null } });
    clock.set('2026-06-05T11:00:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(true);
  });

  // Daily at 06:00 local, grace 15 minutes: the occurrences in UTC the day before, of and after a DST change.
  const dst = [
    { zone: 'Europe/Berlin', change: 'spring, March 29 2026', utc: ['2026-03-28T05:00:00Z', '2026-03-29T04:00:00Z', '2026-03-30T04:00:00Z'] },
    { zone: 'Europe/Berlin', change: 'autumn, October 25 2026', utc: ['2026-10-24T04:00:00Z', '2026-10-25T05:00:00Z', '2026-10-26T05:00:00Z'] },
    { zone: 'America/New_York', change: 'spring, March 8 2026', utc: ['2026-03-07T11:00:00Z', '2026-03-08T10:00:00Z', '2026-03-09T10:00:00Z'] },
    { zone: 'America/New_York', change: 'autumn, November 1 2026', utc: ['2026-10-31T10:00:00Z', '2026-11-01T11:00:00Z', '2026-11-02T11:00:00Z'] },
  ];
  it.each(dst)('cron deadline in $zone across DST ($change): met, missed at the local time, recovered by the late run', async ({ zone, utc }) => {
    const pipeline = `cron_${zone}_${utc[1]}`;
    const id = await f.monitor(pipeline, 'freshness', { cron: '0 6 * * *', timezone: zone, grace: 'PT15M' });
    clock.set(at(utc[0], -3 * HOUR));
    expect(of(await evaluate(), id)).toEqual([]); // first sight: positioned, nothing checked
    expect(await f.position(id)).toEqual({ deadline_occurrence: new Date(utc[0]), next_deadline_at: new Date(at(utc[0], 15 * MIN)) });

    await f.succeeded(pipeline, at(utc[0], 2 * MIN));
    clock.set(at(utc[0], 15 * MIN));
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: false })]);
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date(utc[1]));

    clock.set(at(utc[1], 15 * MIN - 1000));
    expect(of(await evaluate(), id)).toEqual([]); // not due yet: the DST day's 06:00 local has its own UTC time
    clock.set(at(utc[1], 15 * MIN));
    const [missed] = of(await evaluate(), id);
    expect(missed).toMatchObject({
      firing: true,
      evidence: { rule: 'cron', timezone: zone, deadline_occurrence: new Date(utc[1]).toISOString(), deadline_at: at(utc[1], 15 * MIN) },
    });
    expect(await f.position(id)).toEqual({ deadline_occurrence: new Date(utc[2]), next_deadline_at: new Date(at(utc[2], 15 * MIN)) });

    // Still open a tick later and nothing arrived: firing again; then the run for that period arrives late.
    clock.set(at(utc[1], 20 * MIN));
    expect(of(await evaluate(openFor(id, pipeline)), id)[0].firing).toBe(true);
    await f.succeeded(pipeline, at(utc[1], 40 * MIN), 5, utc[1]);
    clock.set(at(utc[1], 50 * MIN));
    expect(of(await evaluate(openFor(id, pipeline)), id)).toEqual([expect.objectContaining({ firing: false })]);
  });

  it('cron times inside the spring gap run once at the first valid minute, repeated autumn times once (Berlin)', async () => {
    const id = await f.monitor('cron_gap', 'freshness', { cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    clock.set('2026-03-28T00:00:00Z');
    await evaluate();
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date('2026-03-28T01:30:00Z'));
    clock.set('2026-03-28T01:30:00Z');
    await evaluate();
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date('2026-03-29T01:00:00Z')); // 03:00 CEST
    clock.set('2026-10-25T00:00:00Z');
    await evaluate();
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date('2026-10-25T00:30:00Z')); // 02:30 CEST, the first pass
    clock.set('2026-10-25T00:30:00Z');
    await evaluate();
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date('2026-10-26T01:30:00Z'));
  });

  it('after downtime the cron check catches up to the deadline just passed, once', async () => {
    const pipeline = 'cron_downtime';
    const id = await f.monitor(pipeline, 'freshness', { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin', grace: 'PT15M' });
    clock.set('2026-11-30T00:00:00Z'); // Monday
    await evaluate();
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date('2026-11-30T05:00:00Z'));
    await f.succeeded(pipeline, '2026-11-30T05:01:00Z');
    // Down from Monday night until Thursday 12:00: Tuesday, Wednesday and Thursday's deadlines passed unseen.
    clock.set('2026-12-03T12:00:00Z');
    const signals = of(await evaluate(), id);
    expect(signals).toEqual([expect.objectContaining({ firing: true, evidence: expect.objectContaining({ deadline_occurrence: '2026-12-03T05:00:00.000Z' }) })]);
    expect((await f.position(id)).deadline_occurrence).toEqual(new Date('2026-12-04T05:00:00Z'));
    clock.set('2026-12-03T12:01:00Z');
    expect(of(await evaluate(), id)).toEqual([]);
  });

  it('a late run for an older period never resolves a missed cron deadline, nor reopens a covered one', async () => {
    const pipeline = 'cron_late';
    const id = await f.monitor(pipeline, 'freshness', { cron: '0 6 * * *', timezone: 'UTC' });
    clock.set('2026-07-01T00:00:00Z');
    await evaluate();
    await f.succeeded(pipeline, '2026-07-01T06:05:00Z');
    clock.set('2026-07-01T06:00:00Z');
    await f.succeeded(pipeline, '2026-07-02T06:05:00Z', 5, '2026-07-02T06:00:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(false);
    clock.set('2026-07-02T06:00:00Z');
    // A backfill for June arrives: the July 2 deadline stays covered.
    await f.succeeded(pipeline, '2026-07-02T05:59:00Z', 5, '2026-06-15T06:00:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(false);
    clock.set('2026-07-03T06:00:00Z');
    expect(of(await evaluate(), id)[0].firing).toBe(true);
    await f.succeeded(pipeline, '2026-07-03T06:10:00Z', 5, '2026-07-01T06:00:00Z'); // re-run of July 1, late
    clock.set('2026-07-03T06:20:00Z');
    expect(of(await evaluate(openFor(id, pipeline)), id)[0].firing).toBe(true);
  });

  it('a cron run that starts a little early covers its occurrence: 05:59:59 counts for 06:00, 05:54:59 does not', async () => {
    const early = await f.monitor('cron_early', 'freshness', { cron: '0 6 * * *', timezone: 'UTC' });
    const tooEarly = await f.monitor('cron_too_early', 'freshness', { cron: '0 6 * * *', timezone: 'UTC' });
    clock.set('2026-07-01T03:00:00Z');
    await evaluate(); // positioned at 06:00
    await f.succeeded('cron_early', '2026-07-01T05:59:59Z');
    await f.succeeded('cron_too_early', '2026-07-01T05:54:59Z');
    clock.set('2026-07-01T06:00:00Z');
    const signals = await evaluate();
    expect(of(signals, early)).toEqual([expect.objectContaining({ firing: false, evidence: expect.objectContaining({ covered_from: '2026-07-01T05:55:00.000Z' }) })]);
    expect(of(signals, tooEarly)).toEqual([expect.objectContaining({ firing: true })]);
  });

  it('a stored time zone this runtime does not know checks nothing and logs a warning once per monitor', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const id = await f.monitor('cron_lost_zone', 'freshness', { cron: '0 6 * * *', timezone: 'Mars/Olympus' });
      clock.set('2026-07-02T10:00:00Z');
      expect(of(await evaluate(), id)).toEqual([]);
      expect(of(await evaluate(), id)).toEqual([]);
      const mine = warn.mock.calls.filter(([message]) => String(message).includes(id));
      expect(mine).toHaveLength(1);
      expect(String(mine[0][0])).toContain('Mars/Olympus');
    } finally {
      warn.mockRestore();
    }
  });
});

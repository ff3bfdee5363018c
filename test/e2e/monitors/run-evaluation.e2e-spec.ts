import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../../src/config/app.config.js';
import type { IncidentSignal } from '../../../src/incidents/incident-signal.js';
import type { JobsService } from '../../../src/jobs/jobs.service.js';
import { MonitorsTick } from '../../../src/monitors/evaluation/monitors-tick.service.js';
import { MonitorsTickTask } from '../../../src/monitors/evaluation/monitors-tick.task.js';
import type { OpenSubject, SignalSink } from '../../../src/monitors/evaluation/signal-sink.js';
import { ManualClock } from '../../support/clock.js';
import { monitorFixtures, of } from '../../support/monitor-fixtures.js';
import { useOrmDatabase } from '../../support/orm.js';

/** Duration, stalled and auto freshness evaluated at moved times, and the tick handing signals to its sink. */
describe('run and auto evaluation', () => {
  const t = useOrmDatabase();
  const f = monitorFixtures(() => t.orm);
  const tick = new MonitorsTick();
  const clock = new ManualClock();
  const evaluate = (open: OpenSubject[] = []) => tick.evaluate(t.orm.em.fork(), clock.now(), open);
  const open = (monitorId: string, kind: OpenSubject['kind'], subject: string, pipelineName: string): OpenSubject[] => [
    { monitorId, kind, subject, pipelineName, severity: 'critical' },
  ];

  it('duration with max_duration fires for a run past it, and is healthy once the run finished', async () => {
    const id = await f.monitor('dur_max', 'duration', { max_duration: 'PT2H' });
    const run = await f.running('dur_max', '2026-08-01T00:00:00Z');
    clock.set('2026-08-01T01:59:00Z');
    expect(of(await evaluate(), id)).toEqual([]);
    clock.set('2026-08-01T02:30:00Z');
    expect(of(await evaluate(), id)).toEqual([
      expect.objectContaining({
        firing: true,
        subject: run,
        kind: 'duration',
        evidence: { execution_id: run, started_at: '2026-08-01T00:00:00.000Z', elapsed_ms: 9_000_000, limit_ms: 7_200_000, limit_from: { max_duration: 'PT2H' } },
      }),
    ]);
    await f.finish(run, '2026-08-01T02:40:00Z');
    clock.set('2026-08-01T02:45:00Z');
    expect(of(await evaluate(open(id, 'duration', run, 'dur_max')), id)).toEqual([
      expect.objectContaining({ firing: false, subject: run, pipelineName: 'dur_max', evidence: { execution_id: run, status: 'succeeded', completed_at: '2026-08-01T02:40:00.000Z' } }),
    ]);
  });

  it('duration with factor × p95 of the last N successes, and nothing before enough history', async () => {
    const id = await f.monitor('dur_p95', 'duration', { factor: 2, runs: 5 });
    await f.succeeded('dur_p95', '2026-08-01T00:00:00Z', 10);
    await f.succeeded('dur_p95', '2026-08-02T00:00:00Z', 10);
    const early = await f.running('dur_p95', '2026-08-03T00:00:00Z');
    clock.set('2026-08-03T05:00:00Z');
    expect(of(await evaluate(), id)).toEqual([]); // two successes: no p95 yet
    await f.finish(early, '2026-08-03T05:00:00Z', 'failed'); // failures are not part of the p95
    // The last 5 successes take 10 minutes each (older, slower ones are outside N): the limit is 20 minutes.
    await f.succeeded('dur_p95', '2026-07-01T00:00:00Z', 300);
    for (const day of ['04', '05', '06']) await f.succeeded('dur_p95', `2026-08-${day}T00:00:00Z`, 10);
    const run = await f.running('dur_p95', '2026-08-07T00:00:00Z');
    clock.set('2026-08-07T00:19:00Z');
    expect(of(await evaluate(), id)).toEqual([]);
    clock.set('2026-08-07T00:25:00Z');
    const [signal] = of(await evaluate(), id);
    expect(signal).toMatchObject({
      firing: true,
      subject: run,
      evidence: { limit_ms: 1_200_000, elapsed_ms: 1_500_000, limit_from: { factor: 2, p95_ms: 600_000, of_successful_runs: 5, runs: 5 } },
    });
  });

  it('stalled fires for a running run without an event for stall_after, and is healthy once it progresses', async () => {
    const id = await f.monitor('stall', 'stalled', { stall_after: 'PT30M' }, { severity: 'warning' });
    const run = await f.running('stall', '2026-09-01T00:00:00Z');
    await f.progress(run, '2026-09-01T00:50:00Z');
    clock.set('2026-09-01T01:10:00Z');
    expect(of(await evaluate(), id)).toEqual([]);
    clock.set('2026-09-01T01:20:00Z');
    expect(of(await evaluate(), id)).toEqual([
      expect.objectContaining({
        firing: true,
        severity: 'warning',
        subject: run,
        evidence: { execution_id: run, started_at: '2026-09-01T00:00:00.000Z', last_event_at: '2026-09-01T00:50:00.000Z', last_activity_at: '2026-09-01T00:50:00.000Z', stall_after: 'PT30M' },
      }),
    ]);
    await f.progress(run, '2026-09-01T01:25:00Z');
    clock.set('2026-09-01T01:26:00Z');
    expect(of(await evaluate(open(id, 'stalled', run, 'stall')), id)).toEqual([
      expect.objectContaining({ firing: false, subject: run, evidence: expect.objectContaining({ status: 'running' }) }),
    ]);
  });

  it('a stalled run without events is measured from its start', async () => {
    const id = await f.monitor('stall_quiet', 'stalled', { stall_after: 'PT30M' });
    const run = await f.running('stall_quiet', '2026-09-02T00:00:00Z');
    clock.set('2026-09-02T00:30:00Z');
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: true, subject: run, evidence: expect.objectContaining({ last_event_at: null }) })]);
  });

  describe('auto freshness', () => {
    // A weekday-only job at 06:00 UTC, Monday 26 October to Friday 27 November 2026 (five weeks).
    async function weekdayJob(pipeline: string, from = '2026-10-26'): Promise<void> {
      for (let day = new Date(`${from}T06:00:00Z`); day <= new Date('2026-11-27T06:00:00Z'); day = new Date(day.getTime() + 86_400_000)) {
        if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) await f.succeeded(pipeline, day.toISOString());
      }
    }

    it('a weekday-only job does not fire on Saturday, and fires when Monday\'s run is missing; warning only', async () => {
      const id = await f.monitor('auto_weekdays', 'freshness', { auto: true });
      await weekdayJob('auto_weekdays');
      clock.set('2026-11-28T10:00:00Z'); // Saturday
      const [saturday] = of(await evaluate(), id);
      expect(saturday).toMatchObject({ firing: false, severity: 'warning', evidence: { rule: 'auto', weeks_back: 4, expected_slot: '2026-11-27T06:00:00.000Z' } });
      expect(saturday.evidence.learned_slots).toEqual([1, 2, 3, 4, 5].map((weekday) => ({ weekday, hour: 6, weeks: 4 })));
      clock.set('2026-11-29T23:00:00Z'); // Sunday night
      expect(of(await evaluate(), id)[0].firing).toBe(false);
      clock.set('2026-11-30T07:59:00Z'); // Monday, within the slot's hour of grace
      expect(of(await evaluate(), id)[0].firing).toBe(false);
      clock.set('2026-11-30T08:00:00Z');
      expect(of(await evaluate(), id)[0]).toMatchObject({
        firing: true,
        severity: 'warning',
        evidence: { expected_slot: '2026-11-30T06:00:00.000Z', last_covered_period: '2026-11-27T06:00:00.000Z' },
      });
      await f.succeeded('auto_weekdays', '2026-11-30T08:05:00Z');
      clock.set('2026-11-30T08:10:00Z');
      expect(of(await evaluate(), id)[0].firing).toBe(false);
    });

    it('with less than three weeks of history nothing is learned and no signal is given', async () => {
      const id = await f.monitor('auto_young', 'freshness', { auto: true });
      await weekdayJob('auto_young', '2026-11-16');
      clock.set('2026-11-30T08:00:00Z');
      expect(of(await evaluate(), id)).toEqual([]);
    });

    it('a job that stopped three weeks ago still fires: it learns from the weeks before its newest run', async () => {
      const id = await f.monitor('auto_stopped', 'freshness', { auto: true });
      await weekdayJob('auto_stopped'); // last run Friday 27 November
      clock.set('2026-12-18T10:00:00Z'); // Friday three weeks later
      const [stopped] = of(await evaluate(), id);
      expect(stopped).toMatchObject({
        firing: true,
        evidence: { learned_until: '2026-11-27T06:00:00.000Z', expected_slot: '2026-12-18T06:00:00.000Z', last_covered_period: '2026-11-27T06:00:00.000Z' },
      });
      expect(stopped.evidence.learned_slots).toEqual([1, 2, 3, 4, 5].map((weekday) => ({ weekday, hour: 6, weeks: 4 })));
    });
  });

  it('the tick hands every signal to the sink in its transaction, with the sink\'s open subjects', async () => {
    const id = await f.monitor('tick_sink', 'duration', { max_duration: 'PT1H' });
    const run = await f.running('tick_sink', '2026-10-01T00:00:00Z');
    const recorded: IncidentSignal[][] = [];
    const sink: SignalSink = {
      record: async (_em: EntityManager, signals) => void recorded.push([...signals]),
      openSubjects: async () => open(id, 'duration', '00000000-0000-4000-8000-000000000000', 'tick_sink'),
    };
    const config = { jobs: { enabled: false, monitorsIntervalMs: 30_000 } } as AppConfig;
    const task = new MonitorsTickTask({} as JobsService, config, tick, sink);
    await t.orm.em.fork().transactional((em) => task.run({ em, now: new Date('2026-10-01T02:00:00Z') }));
    expect(of(recorded[0], id)).toEqual([
      expect.objectContaining({ firing: true, subject: run }),
      expect.objectContaining({ firing: false, subject: '00000000-0000-4000-8000-000000000000', evidence: expect.objectContaining({ status: 'unknown' }) }),
    ]);
    expect(await task.lastCompletedAt(t.orm.em.fork())).toBeNull();
    await t.orm.em.getConnection().execute(`insert into job_ticks (task, slot, started_at, completed_at) values ('monitors.tick', '2026-10-01T02:00:00Z', '2026-10-01T02:00:00Z', '2026-10-01T02:00:01Z')`);
    expect(await task.lastCompletedAt(t.orm.em.fork())).toEqual(new Date('2026-10-01T02:00:01Z'));
  });
});

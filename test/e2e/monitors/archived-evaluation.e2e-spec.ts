import { describe, expect, it } from '@jest/globals';
import { MonitorsTick } from '../../../src/monitors/evaluation/monitors-tick.service.js';
import type { OpenSubject } from '../../../src/monitors/evaluation/signal-sink.js';
import { ManualClock } from '../../support/clock.js';
import { monitorFixtures, of } from '../../support/monitor-fixtures.js';
import { useOrmDatabase } from '../../support/orm.js';

/** Archived pipelines (pipelines.archived_at) fire no time-driven monitor, and archiving resolves what was open. */
describe('archived pipelines in the evaluation', () => {
  const t = useOrmDatabase();
  const f = monitorFixtures(() => t.orm);
  const tick = new MonitorsTick();
  const clock = new ManualClock();
  const evaluate = (open: OpenSubject[] = []) => tick.evaluate(t.orm.em.fork(), clock.now(), open);
  const exec = (sql: string, params: unknown[]) => t.orm.em.getConnection().execute(sql, params);
  /** Archives `pipeline` in the registry, as PUT /v1/pipelines/{name} with archived: true stores it. */
  const archive = (pipeline: string, at = '2026-09-01T00:00:00Z') =>
    exec(`insert into pipelines (name, archived_at) values (?, ?) on conflict (name) do update set archived_at = excluded.archived_at`, [pipeline, at]);

  it('max_age: fires while active, nothing once archived, and the open incident gets a healthy signal', async () => {
    const id = await f.monitor('arch_max_age', 'freshness', { max_age: 'PT1H' });
    await f.succeeded('arch_max_age', '2026-09-10T00:00:00Z');
    clock.set('2026-09-10T05:00:00Z');
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: true })]);
    await archive('arch_max_age');
    expect(of(await evaluate(), id)).toEqual([]);
    const open: OpenSubject[] = [{ monitorId: id, kind: 'freshness', subject: 'arch_max_age', pipelineName: 'arch_max_age', severity: 'critical' }];
    expect(of(await evaluate(open), id)).toEqual([
      { monitorId: id, kind: 'freshness', severity: 'critical', pipelineName: 'arch_max_age', subject: 'arch_max_age', firing: false, evidence: { pipeline_archived_at: '2026-09-01T00:00:00.000Z' } },
    ]);
  });

  it('a registered pipeline that is not archived is evaluated as before', async () => {
    const id = await f.monitor('arch_active', 'freshness', { max_age: 'PT1H' });
    await exec(`insert into pipelines (name) values (?)`, ['arch_active']);
    clock.set('2026-09-10T05:00:00Z');
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: true })]);
  });

  it('cron: a passed deadline of an archived pipeline fires nothing', async () => {
    const id = await f.monitor('arch_cron', 'freshness', { cron: '0 6 * * *', timezone: 'UTC' });
    clock.set('2026-09-10T03:00:00Z');
    expect(of(await evaluate(), id)).toEqual([]); // positioned at 06:00
    await archive('arch_cron');
    clock.set('2026-09-10T07:00:00Z');
    expect(of(await evaluate(), id)).toEqual([]);
    const open: OpenSubject[] = [{ monitorId: id, kind: 'freshness', subject: 'arch_cron', pipelineName: 'arch_cron', severity: 'critical' }];
    expect(of(await evaluate(open), id)).toEqual([expect.objectContaining({ firing: false, evidence: { pipeline_archived_at: '2026-09-01T00:00:00.000Z' } })]);
  });

  it('auto: a learned slot missed by an archived pipeline fires nothing', async () => {
    const id = await f.monitor('arch_auto', 'freshness', { auto: true });
    for (let day = new Date('2026-08-03T06:00:00Z'); day <= new Date('2026-08-28T06:00:00Z'); day = new Date(day.getTime() + 86_400_000)) {
      await f.succeeded('arch_auto', day.toISOString());
    }
    clock.set('2026-08-29T10:00:00Z'); // Saturday's 06:00 run is missing
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: true })]);
    await archive('arch_auto');
    expect(of(await evaluate(), id)).toEqual([]);
  });

  it('duration: a run of an archived pipeline past max_duration fires nothing; its open incident resolves as archived', async () => {
    const id = await f.monitor('arch_duration', 'duration', { max_duration: 'PT1H' });
    const run = await f.running('arch_duration', '2026-09-10T00:00:00Z');
    clock.set('2026-09-10T02:00:00Z');
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: true, subject: run })]);
    await archive('arch_duration');
    expect(of(await evaluate(), id)).toEqual([]);
    const open: OpenSubject[] = [{ monitorId: id, kind: 'duration', subject: run, pipelineName: 'arch_duration', severity: 'critical' }];
    expect(of(await evaluate(open), id)).toEqual([expect.objectContaining({ firing: false, subject: run, evidence: { pipeline_archived_at: '2026-09-01T00:00:00.000Z' } })]);
  });

  it('stalled: a silent run of an archived pipeline fires nothing', async () => {
    const id = await f.monitor('arch_stalled', 'stalled', { stall_after: 'PT30M' });
    const run = await f.running('arch_stalled', '2026-09-10T00:00:00Z');
    clock.set('2026-09-10T01:00:00Z');
    expect(of(await evaluate(), id)).toEqual([expect.objectContaining({ firing: true, subject: run })]);
    await archive('arch_stalled');
    expect(of(await evaluate(), id)).toEqual([]);
  });
});

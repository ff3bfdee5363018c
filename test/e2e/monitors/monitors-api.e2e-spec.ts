import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { CLOCK, type Clock } from '../../../src/jobs/clock.js';
import { useApp } from '../../support/app.js';
import { http, recordRun } from '../../support/audit-fixtures.js';
import { ManualClock } from '../../support/clock.js';
import { sql } from '../../support/test-database.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('monitors API: create, read, change, disable; validation writes nothing', () => {
  const f = useApp();
  const clock = new ManualClock('2026-03-27T12:00:00Z');
  const api = () => http(f.t.app);
  const monitorCount = async () => (await sql<{ n: number }>(f.db.url, 'select count(*)::int as n from monitors'))[0].n;

  beforeAll(() => {
    jest.spyOn(f.t.app.get<Clock>(CLOCK), 'now').mockImplementation(() => clock.now());
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ['unknown kind', { pipeline_name: 'p', kind: 'volume' }, '/kind'],
    ['unknown field', { pipeline_name: 'p', kind: 'run_failed', colour: 'red' }, '/colour'],
    ['bad severity', { pipeline_name: 'p', kind: 'run_failed', severity: 'page' }, '/severity'],
    ['resolve_after 0', { pipeline_name: 'p', kind: 'run_failed', resolve_after: 0 }, '/resolve_after'],
    ['resolve_after 101', { pipeline_name: 'p', kind: 'run_failed', resolve_after: 101 }, '/resolve_after'],
    ['params on run_failed', { pipeline_name: 'p', kind: 'run_failed', params: { max_age: 'PT1H' } }, '/params/max_age'],
    ['freshness without params', { pipeline_name: 'p', kind: 'freshness' }, '/params'],
    ['freshness zero max_age', { pipeline_name: 'p', kind: 'freshness', params: { max_age: 'PT0S' } }, '/params/max_age'],
    ['freshness negative max_age', { pipeline_name: 'p', kind: 'freshness', params: { max_age: '-PT1H' } }, '/params/max_age'],
    ['freshness months', { pipeline_name: 'p', kind: 'freshness', params: { max_age: 'P1M' } }, '/params/max_age'],
    ['freshness two forms', { pipeline_name: 'p', kind: 'freshness', params: { max_age: 'PT1H', auto: true } }, '/params/auto'],
    ['freshness unknown key', { pipeline_name: 'p', kind: 'freshness', params: { max_age: 'PT1H', jitter: 'PT1M' } }, '/params/jitter'],
    ['invalid cron', { pipeline_name: 'p', kind: 'freshness', params: { cron: '0 25 * * *', timezone: 'UTC' } }, '/params/cron'],
    ['six-field cron', { pipeline_name: 'p', kind: 'freshness', params: { cron: '0 0 6 * * *', timezone: 'UTC' } }, '/params/cron'],
    ['unknown time zone', { pipeline_name: 'p', kind: 'freshness', params: { cron: '0 6 * * *', timezone: 'Europe/Atlantis' } }, '/params/timezone'],
    ['cron without time zone', { pipeline_name: 'p', kind: 'freshness', params: { cron: '0 6 * * *' } }, '/params/timezone'],
    ['grace not a duration', { pipeline_name: 'p', kind: 'freshness', params: { cron: '0 6 * * *', timezone: 'UTC', grace: '15 minutes' } }, '/params/grace'],
    ['auto critical', { pipeline_name: 'p', kind: 'freshness', severity: 'critical', params: { auto: true } }, '/severity'],
    ['auto false', { pipeline_name: 'p', kind: 'freshness', params: { auto: false } }, '/params/auto'],
    ['duration factor 1', { pipeline_name: 'p', kind: 'duration', params: { factor: 1 } }, '/params/factor'],
    ['duration runs 2', { pipeline_name: 'p', kind: 'duration', params: { factor: 2, runs: 2 } }, '/params/runs'],
    ['duration runs 1001', { pipeline_name: 'p', kind: 'duration', params: { factor: 2, runs: 1001 } }, '/params/runs'],
    ['duration both forms', { pipeline_name: 'p', kind: 'duration', params: { factor: 2, max_duration: 'PT1H' } }, '/params'],
    ['duration negative', { pipeline_name: 'p', kind: 'duration', params: { max_duration: '-PT1H' } }, '/params/max_duration'],
    ['stalled without stall_after', { pipeline_name: 'p', kind: 'stalled', params: {} }, '/params/stall_after'],
    ['stalled zero', { pipeline_name: 'p', kind: 'stalled', params: { stall_after: 'PT0S' } }, '/params/stall_after'],
    ['params not an object', { pipeline_name: 'p', kind: 'freshness', params: ['PT1H'] }, '/params'],
  ];
  it.each(refused)('refuses %s with 400 naming the field, and writes nothing', async (_what, body, pointer) => {
    const before = await monitorCount();
    const res = await api().post('/v1/monitors').send(body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await monitorCount()).toBe(before);
  });

  it('a read key lists but cannot create (403); a manage key creates', async () => {
    const keys = async (scopes: string[]) => (await api().post('/v1/api-keys').send({ name: scopes.join(), scopes }).expect(201)).body.key as string;
    const reader = await keys(['read']);
    const manager = await keys(['manage']);
    const before = await monitorCount();
    const denied = await request(f.t.app.getHttpServer()).post('/v1/monitors').set(bearer(reader)).send({ pipeline_name: 'scoped', kind: 'run_failed' }).expect(403);
    expect(denied.body.required_scope).toBe('manage');
    expect(await monitorCount()).toBe(before);
    await request(f.t.app.getHttpServer()).get('/v1/monitors').set(bearer(reader)).expect(200);
    const made = await request(f.t.app.getHttpServer()).post('/v1/monitors').set(bearer(manager)).send({ pipeline_name: 'scoped', kind: 'run_failed' }).expect(201);
    expect(made.body).toMatchObject({ kind: 'run_failed', severity: 'critical', params: {}, enabled: true });
    await request(f.t.app.getHttpServer()).delete(`/v1/monitors/${made.body.id}`).set(bearer(reader)).expect(403);
  });

  it('round trip: create stores canonical params, get, patch, delete disables and keeps the monitor', async () => {
    const created = await api()
      .post('/v1/monitors')
      .send({ name: 'orders fresh', pipeline_name: 'nightly_orders', kind: 'freshness', params: { max_age: 'PT1560M' } })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'orders fresh', pipeline_name: 'nightly_orders', severity: 'critical', params: { max_age: 'P1DT2H' }, resolve_after: 1, enabled: true, next_deadline_at: null, disabled_at: null });
    const id = created.body.id as string;
    expect((await api().get(`/v1/monitors/${id}`).expect(200)).body).toEqual(created.body);

    await api().post('/v1/monitors').send({ name: 'orders fresh', pipeline_name: 'other', kind: 'run_failed' }).expect(409);
    const patched = await api().patch(`/v1/monitors/${id}`).send({ severity: 'warning', params: { max_age: 'PT26H' }, resolve_after: 3 }).expect(200);
    expect(patched.body).toMatchObject({ severity: 'warning', params: { max_age: 'P1DT2H' }, resolve_after: 3 });
    await api().patch(`/v1/monitors/${id}`).send({ params: { max_age: 'PT0S' } }).expect(400);
    expect((await api().get(`/v1/monitors/${id}`).expect(200)).body.severity).toBe('warning');

    const deleted = await api().delete(`/v1/monitors/${id}`).expect(200);
    expect(deleted.body).toMatchObject({ enabled: false, disabled_at: '2026-03-27T12:00:00.000000Z' });
    expect((await api().get('/v1/monitors?pipeline_name=nightly_orders').expect(200)).body.data).toEqual([]);
    const disabled = (await api().get('/v1/monitors?pipeline_name=nightly_orders&enabled=false').expect(200)).body.data;
    expect(disabled.map((m: { id: string }) => m.id)).toEqual([id]);
    // The name is free again once its monitor is disabled.
    await api().post('/v1/monitors').send({ name: 'orders fresh', pipeline_name: 'nightly_orders', kind: 'run_failed' }).expect(201);
    await api().get('/v1/monitors/0190a1b2-0000-7000-8000-000000000000').expect(404);
  });

  it('lists by kind and pipeline, one keyset page at a time', async () => {
    for (let i = 0; i < 5; i++) await api().post('/v1/monitors').send({ pipeline_name: 'paged', kind: 'duration', params: { factor: 2 + i } }).expect(201);
    const first = (await api().get('/v1/monitors?pipeline_name=paged&kind=duration&limit=3').expect(200)).body;
    expect(first.data).toHaveLength(3);
    expect(first.data[0].params).toEqual({ factor: 2, runs: 20 });
    const second = (await api().get(`/v1/monitors?pipeline_name=paged&kind=duration&limit=3&cursor=${first.next_cursor}`).expect(200)).body;
    expect(second.data.map((m: { params: { factor: number } }) => m.params.factor)).toEqual([5, 6]);
    expect(second.next_cursor).toBeNull();
    await api().get('/v1/monitors?cursor=garbage').expect(400);
  });

  it('stalled is refused for a pipeline that never reported progress, allowed once it has', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'quiet_job', status: 'running' });
    const before = await monitorCount();
    const refusedRes = await api().post('/v1/monitors').send({ pipeline_name: 'quiet_job', kind: 'stalled', params: { stall_after: 'PT10M' } }).expect(400);
    expect(refusedRes.body.errors[0]).toMatchObject({ pointer: '/kind' });
    expect(await monitorCount()).toBe(before);
    await api().post(`/v1/executions/${run.execution_id}/events`).send({ type: 'progress' }).expect(201);
    const ok = await api().post('/v1/monitors').send({ pipeline_name: 'quiet_job', kind: 'stalled', params: { stall_after: 'PT600S' } }).expect(201);
    expect(ok.body).toMatchObject({ severity: 'warning', params: { stall_after: 'PT10M' } });
  });

  it('stalled is checked again when a PATCH re-enables it or changes its params; other changes pass', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'once_progressing', status: 'running' });
    await api().post(`/v1/executions/${run.execution_id}/events`).send({ type: 'progress' }).expect(201);
    const made = await api().post('/v1/monitors').send({ pipeline_name: 'once_progressing', kind: 'stalled', params: { stall_after: 'PT10M' } }).expect(201);
    // As if the pipeline had stopped reporting progress: the monitor now watches one that never did.
    await sql(f.db.url, `update monitors set pipeline_name = 'never_progressing' where id = '${made.body.id}'`);
    const changed = await api().patch(`/v1/monitors/${made.body.id}`).send({ params: { stall_after: 'PT20M' } }).expect(400);
    expect(changed.body.errors[0]).toMatchObject({ pointer: '/kind' });
    await api().patch(`/v1/monitors/${made.body.id}`).send({ severity: 'critical' }).expect(200);
    await api().delete(`/v1/monitors/${made.body.id}`).expect(200);
    const reenabled = await api().patch(`/v1/monitors/${made.body.id}`).send({ enabled: true }).expect(400);
    expect(reenabled.body.errors[0]).toMatchObject({ pointer: '/kind' });
    expect((await api().get(`/v1/monitors/${made.body.id}`).expect(200)).body).toMatchObject({ enabled: false, severity: 'critical', params: { stall_after: 'PT10M' } });
  });

  it('cron freshness: the next deadline is the next occurrence in its time zone plus grace, across the March DST change', async () => {
    // Friday 2026-03-27 12:00Z; Berlin moves to CEST (UTC+2) on Sunday 29 March.
    clock.set('2026-03-27T12:00:00Z');
    const made = await api()
      .post('/v1/monitors')
      .send({ pipeline_name: 'berlin_job', kind: 'freshness', params: { cron: '0  6 * * *', timezone: 'Europe/Berlin', grace: 'PT15M' } })
      .expect(201);
    expect(made.body).toMatchObject({
      severity: 'critical',
      params: { cron: '0 6 * * *', timezone: 'Europe/Berlin', grace: 'PT15M' },
      deadline_occurrence: '2026-03-28T05:00:00.000000Z', // 06:00 CET
      next_deadline_at: '2026-03-28T05:15:00.000000Z',
    });
    clock.set('2026-03-28T12:00:00Z');
    // A changed schedule recomputes from now: the next 06:00 Berlin is on the 29th, already in summer time.
    const patched = await api().patch(`/v1/monitors/${made.body.id}`).send({ params: { cron: '0 6 * * *', timezone: 'Europe/Berlin' } }).expect(200);
    expect(patched.body).toMatchObject({ params: { grace: 'PT0S' }, deadline_occurrence: '2026-03-29T04:00:00.000000Z', next_deadline_at: '2026-03-29T04:00:00.000000Z' });
    // A change that leaves the schedule alone keeps the evaluation's position.
    clock.set('2026-03-30T12:00:00Z');
    const renamed = await api().patch(`/v1/monitors/${made.body.id}`).send({ name: 'berlin deadline' }).expect(200);
    expect(renamed.body.next_deadline_at).toBe('2026-03-29T04:00:00.000000Z');
    const [row] = await sql<{ next_deadline_at: Date }>(f.db.url, `select next_deadline_at from monitors where id = '${made.body.id}'`);
    expect(row.next_deadline_at.toISOString()).toBe('2026-03-29T04:00:00.000Z');
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CLOCK, type Clock } from '../../../src/jobs/clock.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { ManualClock } from '../../support/clock.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Row = { pipeline_name: string; health: string; next_expected_at: string | null };

describe('the pipelines registry: PUT metadata, health, filters and keyset pages', () => {
  const f = useApp();
  const now = Date.parse('2026-12-04T12:00:00.000Z');
  const clock = new ManualClock(iso(now));

  const start = async (pipeline_name: string, startedAgo: number, extra: Record<string, unknown> = {}) =>
    (await http(f.t.app).post('/v1/executions').send({ pipeline_name, started_at: iso(now - startedAgo), ...extra }).expect(201)).body;
  const end = async (id: string, type: 'succeed' | 'fail', at: number) => {
    const res = await http(f.t.app).post(`/v1/executions/${id}/events`).send({ type, completed_at: iso(at), ...(type === 'fail' ? { error_details: 'boom' } : {}) });
    if (res.status !== 201) throw new Error(`event answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  const put = (name: string, body: Record<string, unknown>) => http(f.t.app).put(`/v1/pipelines/${encodeURIComponent(name)}`).send(body);
  const list = async (query: Record<string, string | number>) => {
    const res = await http(f.t.app).get('/v1/pipelines').query(query).expect(200);
    f.contract.check('GET', '/v1/pipelines', res);
    return res.body as { data: Row[]; next_cursor: string | null };
  };
  const names = async (query: Record<string, string | number>) => (await list(query)).data.map((p) => p.pipeline_name);

  beforeAll(async () => {
    jest.spyOn(f.t.app.get<Clock>(CLOCK), 'now').mockImplementation(() => clock.now());
    // ok_hourly: succeeded 30 min ago, every PT1H → healthy. late_hourly: succeeded 3 h ago, every PT1H → late.
    const ok = await start('ok_hourly', 30 * 60_000);
    await end(ok.execution_id, 'succeed', now - 20 * 60_000);
    const late = await start('late_hourly', 3 * HOUR);
    await end(late.execution_id, 'succeed', now - 3 * HOUR + 60_000);
    // failing_job: its final attempt failed. retrying_job: attempt 1 of 3 failed, a retry follows → not failing.
    const failing = await start('failing_job', HOUR);
    await end(failing.execution_id, 'fail', now - HOUR + 1000);
    const retrying = await start('retrying_job', HOUR, { attempt: 1, max_attempts: 3 });
    await end(retrying.execution_id, 'fail', now - HOUR + 1000);
    await start('running_job', 10 * 60_000);
    // nightly: cron 06:00 Berlin; covered period 2 days ago (nominal_time) though it ran just now → late.
    const nightly = await start('nightly', 60_000, { nominal_time: '2026-12-02T05:00:00.000Z' });
    await end(nightly.execution_id, 'succeed', now - 1000);
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('a first run creates the pipeline row, with first_seen_at and no metadata', async () => {
    const res = await http(f.t.app).get('/v1/pipelines/running_job').expect(200);
    expect(res.body).toMatchObject({ pipeline_name: 'running_job', owner: null, tags: [], links: [], schedule: null, archived: false, health: 'running', next_expected_at: null });
    expect(res.body.first_seen_at).not.toBeNull();
  });

  it('PUT declares a pipeline before its first run (201), then replaces its metadata (200): fields left out are cleared', async () => {
    const body = {
      description: 'Loads orders',
      owner: 'ana',
      team: 'data',
      tags: ['orders', 'tier1'],
      links: [{ title: 'runbook', url: 'https://wiki.example/orders' }],
      schedule: { every: 'PT24H' },
    };
    const created = await put('declared_job', body).expect(201);
    f.contract.check('PUT', '/v1/pipelines/{pipeline_name}', created);
    expect(created.body).toMatchObject({ ...body, schedule: { every: 'P1D' }, health: 'unknown', last_execution: null, first_seen_at: null, archived: false });
    // Next expected: a day after it was declared (the database's now, not the test clock).
    expect(created.body.next_expected_at).toBe(iso(Date.parse(created.body.created_at) + 24 * HOUR));
    const replaced = await put('declared_job', { owner: 'bo' }).expect(200);
    expect(replaced.body).toMatchObject({ owner: 'bo', description: null, team: null, tags: [], links: [], schedule: null });
  });

  it.each([
    [{ schedule: { cron: '61 * * * *', timezone: 'UTC' } }, '/schedule/cron'],
    [{ schedule: { cron: '0 6 * * *', timezone: 'Mars/Olympus' } }, '/schedule/timezone'],
    [{ schedule: { every: 'PT0S' } }, '/schedule/every'],
    [{ schedule: { every: 'P1M' } }, '/schedule/every'],
    [{ links: [{ url: 'https://ok.example' }, { url: 'javascript:alert(1)' }] }, '/links/1/url'],
    [{ links: [{ url: 'not a url' }] }, '/links/0/url'],
  ])('PUT %j answers 400 naming %s and writes nothing', async (body, pointer) => {
    const res = await put('bad_input_job', { owner: 'x', ...body }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    await http(f.t.app).get('/v1/pipelines/bad_input_job').expect(404);
  });

  it('PUT needs the manage scope', async () => {
    const { key } = await f.t.app.get((await import('../../../src/auth/api-keys.service.js')).ApiKeysService).create('reader', ['read', 'ingest']);
    const res = await http(f.t.app).put('/v1/pipelines/scoped').set('authorization', `Bearer ${key}`).send({}).expect(403);
    expect(res.body).toBeDefined();
    await http(f.t.app).get('/v1/pipelines/scoped').expect(404);
  });

  it('health: healthy, late (every and cron across time zones), failing (final attempt only), running, unknown', async () => {
    await put('ok_hourly', { schedule: { every: 'PT1H' } }).expect(200);
    await put('late_hourly', { schedule: { every: 'PT1H' } }).expect(200);
    await put('nightly', { schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin' } }).expect(200);
    await put('never_run', { owner: 'zoe' }).expect(201);
    const byName = Object.fromEntries((await list({ limit: 100 })).data.map((p) => [p.pipeline_name, p]));
    expect(byName.ok_hourly).toMatchObject({ health: 'healthy', next_expected_at: iso(now + 30 * 60_000) });
    expect(byName.late_hourly).toMatchObject({ health: 'late', next_expected_at: iso(now - 2 * HOUR) });
    // Covered 2026-12-02 06:00 Berlin: the next occurrence is 2026-12-03 06:00 Berlin (05:00Z), overdue.
    expect(byName.nightly).toMatchObject({ health: 'late', next_expected_at: '2026-12-03T05:00:00.000Z' });
    expect(byName.failing_job.health).toBe('failing');
    expect(byName.retrying_job.health).toBe('healthy');
    expect(byName.running_job.health).toBe('running');
    expect(byName.never_run.health).toBe('unknown');
    expect(await names({ health: 'late' })).toEqual(['late_hourly', 'nightly']);
    expect(await names({ health: 'failing' })).toEqual(['failing_job']);
    expect(await names({ health: 'running' })).toEqual(['running_job']);
    expect(await names({ health: 'unknown' })).toEqual(expect.arrayContaining(['never_run', 'declared_job']));
    expect(await names({ health: 'healthy' })).toEqual(['ok_hourly', 'retrying_job']);
    // Time moves on: the hourly pipeline that was healthy becomes late.
    clock.advance(HOUR);
    expect(await names({ health: 'late' })).toEqual(['late_hourly', 'nightly', 'ok_hourly']);
  });

  it('filters by owner, team, tag and name prefix; archived pipelines leave the default list', async () => {
    await put('tagged_a', { owner: 'ana', team: 'core', tags: ['gold'] }).expect(201);
    await put('tagged_b', { owner: 'bo', team: 'core', tags: ['gold', 'pii'] }).expect(201);
    await put('tagged_c', { owner: 'ana', team: 'edge', archived: true }).expect(201);
    expect(await names({ owner: 'ana' })).toEqual(['tagged_a']);
    expect(await names({ owner: 'ana', archived: 'all' })).toEqual(['tagged_a', 'tagged_c']);
    expect(await names({ team: 'core' })).toEqual(['tagged_a', 'tagged_b']);
    expect(await names({ tag: 'pii' })).toEqual(['tagged_b']);
    expect(await names({ q: 'tagged_' })).toEqual(['tagged_a', 'tagged_b']);
    expect(await names({ q: 'tagged%' })).toEqual([]);
    expect(await names({ archived: 'true' })).toEqual(['tagged_c']);
    const archived = await http(f.t.app).get('/v1/pipelines/tagged_c').expect(200);
    expect(archived.body).toMatchObject({ archived: true });
    expect(archived.body.archived_at).not.toBeNull();
  });

  it('pages by keyset: every pipeline once, in name order, whatever the page size', async () => {
    const all = await names({ limit: 500, archived: 'all' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Row[]; next_cursor: string | null } = await list({ limit: 3, archived: 'all', ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((p) => p.pipeline_name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect([...all].sort()).toEqual(all);
    // A health filter decided partly in the service pages the same way.
    const late = await list({ health: 'late', limit: 1 });
    expect(late.data.map((p) => p.pipeline_name)).toEqual(['late_hourly']);
    const rest = await list({ health: 'late', limit: 5, cursor: late.next_cursor as string });
    expect(rest.data.map((p) => p.pipeline_name)).toEqual(['nightly', 'ok_hourly']);
    expect(rest.next_cursor).toBeNull();
  });
});

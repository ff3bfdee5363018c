import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const micros = (ms: number) => iso(ms).replace('Z', '000Z');

describe('GET /v1/pipelines and /v1/pipelines/{name}: health over a window', () => {
  const f = useApp();
  const now = Date.now();
  const lastSuccess = { started: now - 2 * HOUR, completed: now - 2 * HOUR + 600_000 };
  let running = '';

  async function run(startedAgoMs: number, outcome: 'succeeded' | 'failed' | 'cancelled' | 'running' | 'pending', durationMs = 0) {
    const started = now - startedAgoMs;
    const status = outcome === 'pending' ? 'pending' : 'running';
    const res = await http(f.t.app).post('/v1/executions').send({ pipeline_name: 'summary_etl', started_at: iso(started), status }).expect(201);
    const event = { succeeded: { type: 'succeed' }, failed: { type: 'fail', error_details: 'x' }, cancelled: { type: 'cancel' } }[
      outcome as 'succeeded'
    ];
    if (event) {
      await http(f.t.app)
        .post(`/v1/executions/${res.body.execution_id}/events`)
        .send({ ...event, completed_at: iso(started + durationMs) })
        .expect(201);
    }
    return res.body.execution_id as string;
  }


  beforeAll(async () => {
    // Within 7 days: four successes of 60 s, 120 s, 180 s and 600 s, one failure, one cancel, one pending, one running.
    await run(5 * DAY, 'succeeded', 60_000);
    await run(4 * DAY, 'succeeded', 120_000);
    await run(3 * DAY, 'succeeded', 180_000);
    await run(now - lastSuccess.started, 'succeeded', 600_000);
    await run(3 * HOUR, 'failed', 5_000);
    await run(90 * 60_000, 'cancelled', 1_000);
    await run(HOUR, 'pending');
    running = await run(30 * 60_000, 'running');
    // Outside 7 days but inside 30: one more success of 30 s.
    await run(10 * DAY, 'succeeded', 30_000);
    await http(f.t.app).post('/v1/executions').send({ pipeline_name: 'another_etl' }).expect(201);
  });

  it('computes counts, success rate and interpolated p50/p95 durations over the default 7 days', async () => {
    const res = await http(f.t.app).get('/v1/pipelines/summary_etl').expect(200);
    f.contract.check('GET', '/v1/pipelines/{pipeline_name}', res);
    expect(res.body).toMatchObject({
      pipeline_name: 'summary_etl',
      window: '7d',
      last_execution: { execution_id: running, status: 'running', started_at: micros(now - 30 * 60_000), completed_at: null, duration_ms: null },
      last_success_at: micros(lastSuccess.completed),
      counts: { pending: 1, running: 1, succeeded: 4, failed: 1, cancelled: 1 },
      success_rate: 4 / 6,
      // percentile_cont over [60000, 120000, 180000, 600000]: 0.5 → 150000; 0.95 → 180000 + 0.85 × 420000.
      duration_ms: { p50: 150_000, p95: 537_000 },
    });
  });

  it('widens to 30 days on request', async () => {
    const res = await http(f.t.app).get('/v1/pipelines/summary_etl').query({ window: '30d' }).expect(200);
    expect(res.body.counts.succeeded).toBe(5);
    expect(res.body.success_rate).toBe(5 / 7);
    // [30000, 60000, 120000, 180000, 600000]: 0.5 → 120000; 0.95 → 180000 + 0.8 × 420000.
    expect(res.body.duration_ms).toEqual({ p50: 120_000, p95: 516_000 });
  });

  it('a window with no finished run has a null rate and null durations', async () => {
    const res = await http(f.t.app).get('/v1/pipelines/summary_etl').query({ window: '45m' }).expect(200);
    expect(res.body).toMatchObject({ counts: { pending: 0, running: 1, succeeded: 0, failed: 0, cancelled: 0 }, success_rate: null, duration_ms: { p50: null, p95: null } });
  });

  it('lists every pipeline by name', async () => {
    const res = await http(f.t.app).get('/v1/pipelines').expect(200);
    f.contract.check('GET', '/v1/pipelines', res);
    expect(res.body.data.map((p: { pipeline_name: string }) => p.pipeline_name)).toEqual(['another_etl', 'summary_etl']);
    expect(res.body.data[0]).toMatchObject({ counts: { running: 1 }, last_success_at: null, success_rate: null });
  });

  it('answers 404 for a pipeline neither declared nor run and 400 for a bad window', async () => {
    f.contract.check('GET', '/v1/pipelines/{pipeline_name}', await http(f.t.app).get('/v1/pipelines/never_ran').expect(404));
    for (const window of ['0d', '7w', 'abc', '367d', '9000h']) {
      const res = await http(f.t.app).get('/v1/pipelines/summary_etl').query({ window }).expect(400);
      expect(res.body.errors[0]).toMatchObject({ in: 'query', pointer: '/window' });
    }
    await http(f.t.app).get('/v1/pipelines/summary_etl').query({ window: '366d' }).expect(200);
  });
});

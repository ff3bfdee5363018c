import { describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { MonitorsTickTask } from '../../../src/monitors/evaluation/monitors-tick.task.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { corpus, postLineage, runEvent } from '../../support/lineage-fixtures.js';
import { sql } from '../../support/test-database.js';

const DAY = 86_400_000;
const NS = 'postgres://warehouse:5432';
/** A Monday at 06:00 UTC: day i of a history is this plus i days. */
const START = Date.parse('2026-06-01T06:00:00Z');
const dayAt = (i: number) => new Date(START + i * DAY).toISOString();
/** A little deterministic noise around `level`, so the history has a spread. */
const noisy = (level: number, i: number) => level + (((i * 37) % 21) - 10) * (level / 1000);

interface Incident {
  incident_id: string;
  kind: string;
  status: string;
  pipeline_name: string;
  dataset_name: string | null;
  column: string | null;
  occurrences: number;
  evidence: Record<string, unknown>;
}

// The data monitors through the real service: metrics and OpenLineage events over HTTP, the monitors tick run
// as the job runner runs it (at a given time), incidents read back over HTTP.
describe('monitors on data: metric_threshold, metric_anomaly, test_failed', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  const tick = () => f.t.app.get(MikroORM).em.fork().transactional((em) => f.t.app.get(MonitorsTickTask).run({ em, now: new Date() }));
  const report = (metrics: Record<string, unknown>[]) => http(f.t.app).post('/v1/metrics/batch').send({ metrics }).expect(201);
  const point = (pipeline: string, table: string | null, value: number, at: string, type = 'row_count') => ({
    pipeline_name: pipeline,
    metric_type: type,
    metric_value: value,
    recorded_at: at,
    ...(table === null ? {} : { dataset_namespace: NS, dataset_name: table }),
  });
  const history = (pipeline: string, table: string, days: number, level: (i: number) => number) =>
    report(Array.from({ length: days }, (_, i) => point(pipeline, table, level(i), dayAt(i))));
  const monitor = async (body: Record<string, unknown>) => (await http(f.t.app).post('/v1/monitors').send(body).expect(201)).body as { id: string };
  const incidentsOf = async (monitorId: string, status = '&status=open&status=acknowledged&status=snoozed&status=resolved') =>
    ((await http(f.t.app).get(`/v1/incidents?limit=500${status}`).expect(200)).body.data as (Incident & { monitor_id: string })[]).filter((i) => i.monitor_id === monitorId);

  it('a 1000x change in table B leaves table A quiet; the same change in A fires its threshold and anomaly monitors', async () => {
    const pipeline = `etl_${randomUUID().slice(0, 8)}`;
    await history(pipeline, 'shop.orders', 30, (i) => noisy(1000, i));
    await history(pipeline, 'shop.refunds', 30, (i) => noisy(50, i));
    const onA = { dataset_namespace: NS, dataset_name: 'shop.orders' };
    const threshold = await monitor({ ...onA, kind: 'metric_threshold', params: { metric_type: 'row_count', max_change_pct: 100 } });
    const anomaly = await monitor({ ...onA, kind: 'metric_anomaly', params: { metric_type: 'row_count' } });
    const wide = await monitor({ pipeline_name: pipeline, kind: 'metric_anomaly', params: { metric_type: 'row_count' } });
    await tick(); // first sight: the newest points of both tables are normal
    expect([...(await incidentsOf(threshold.id)), ...(await incidentsOf(anomaly.id)), ...(await incidentsOf(wide.id))]).toEqual([]);

    await report([point(pipeline, 'shop.refunds', 50_000, dayAt(30))]);
    await tick();
    expect(await incidentsOf(threshold.id)).toEqual([]);
    expect(await incidentsOf(anomaly.id)).toEqual([]);
    // The pipeline-wide monitor watches each table separately: B's series fires, naming B.
    expect(await incidentsOf(wide.id)).toEqual([expect.objectContaining({ status: 'open', pipeline_name: pipeline, dataset_name: 'shop.refunds', kind: 'metric_anomaly' })]);

    await report([point(pipeline, 'shop.orders', 1_000_000, dayAt(30))]);
    await tick();
    const [byThreshold] = await incidentsOf(threshold.id);
    expect(byThreshold).toMatchObject({ status: 'open', kind: 'metric_threshold', pipeline_name: pipeline, dataset_name: 'shop.orders', column: null });
    expect(byThreshold.evidence).toMatchObject({ value: 1_000_000, broken: ['max_change_pct'], max_change_pct: 100, metric_type: 'row_count' });
    const [byAnomaly] = await incidentsOf(anomaly.id);
    // 28 days of training before the point (P28D): days 2 to 29.
    expect(byAnomaly).toMatchObject({ status: 'open', kind: 'metric_anomaly', dataset_name: 'shop.orders' });
    expect(byAnomaly.evidence).toMatchObject({ verdict: 'anomaly', value: 1_000_000, training_points: 28, bucket: expect.any(String) });
    expect(byAnomaly.evidence.expected).toMatchObject({ median: expect.any(Number) });
    expect((await incidentsOf(wide.id)).map((i) => i.dataset_name).sort()).toEqual(['shop.orders', 'shop.refunds']);
  });

  it('day_of_week seasonality: low weekends are normal on a Saturday, the same low value on a Tuesday fires', async () => {
    const pipeline = `weekly_${randomUUID().slice(0, 8)}`;
    // Five weeks from a Monday: weekdays about 1000, Saturdays and Sundays about 200.
    const weekly = (i: number) => noisy(i % 7 >= 5 ? 200 : 1000, i);
    await history(pipeline, 'shop.visits', 33, weekly); // up to the Friday of week 5
    const seasonal = await monitor({ pipeline_name: pipeline, kind: 'metric_anomaly', params: { metric_type: 'row_count', seasonality: 'day_of_week', training: 'P35D' } });
    const plain = await monitor({ pipeline_name: pipeline, kind: 'metric_anomaly', params: { metric_type: 'row_count', direction: 'drop', sensitivity: 2 } });
    await tick();
    await report([point(pipeline, 'shop.visits', 205, dayAt(33))]); // Saturday
    await tick();
    expect(await incidentsOf(seasonal.id)).toEqual([]);
    // Without seasonality the same Saturday is a drop: the weekly pattern is what keeps the first one quiet.
    expect(await incidentsOf(plain.id)).toHaveLength(1);
    await report([point(pipeline, 'shop.visits', 195, dayAt(34)), point(pipeline, 'shop.visits', 1002, dayAt(35))]); // Sunday, Monday
    await tick();
    expect(await incidentsOf(seasonal.id)).toEqual([]);
    await report([point(pipeline, 'shop.visits', 200, dayAt(36))]); // Tuesday
    await tick();
    const [fired] = await incidentsOf(seasonal.id);
    expect(fired).toMatchObject({ status: 'open', kind: 'metric_anomaly' });
    expect(fired.evidence).toMatchObject({ verdict: 'anomaly', value: 200, recorded_at: dayAt(36) });
    expect(String(fired.evidence.bucket)).toMatch(/tue|2/i);
  });

  it('too little history: no verdict and no incident, and GET /v1/monitors/{id} says why', async () => {
    const pipeline = `young_${randomUUID().slice(0, 8)}`;
    await history(pipeline, 'shop.new_table', 2, () => 10);
    const young = await monitor({ pipeline_name: pipeline, kind: 'metric_anomaly', params: { metric_type: 'row_count' } });
    await report([point(pipeline, 'shop.new_table', 10_000, dayAt(2))]);
    await tick();
    expect(await incidentsOf(young.id)).toEqual([]);
    const response = await http(f.t.app).get(`/v1/monitors/${young.id}`).expect(200);
    f.contract.check('GET', '/v1/monitors/{id}', response);
    const shown = response.body;
    expect(shown.series).toEqual([
      expect.objectContaining({
        pipeline_name: pipeline,
        dataset_name: 'shop.new_table',
        metric_type: 'row_count',
        judged_recorded_at: dayAt(2).replace('Z', '000Z'),
        verdict: expect.objectContaining({ verdict: 'insufficient_history', value: 10_000, reason: expect.any(String) }),
      }),
    ]);
  });

  it('accept-baseline: a new level keeps firing until accepted, then stops; other kinds answer 409', async () => {
    const pipeline = `shift_${randomUUID().slice(0, 8)}`;
    await history(pipeline, 'shop.events', 20, (i) => noisy(1000, i));
    const watch = await monitor({ pipeline_name: pipeline, kind: 'metric_anomaly', params: { metric_type: 'row_count' } });
    await tick();
    await report([point(pipeline, 'shop.events', 5000, dayAt(20))]);
    await tick();
    await report([point(pipeline, 'shop.events', 5010, dayAt(21))]);
    await tick();
    const [shifted] = await incidentsOf(watch.id);
    // The anomalous points stay out of the training: the second point of the new level fires again.
    expect(shifted).toMatchObject({ status: 'open', occurrences: 2 });
    const response = await http(f.t.app).post(`/v1/incidents/${shifted.incident_id}/accept-baseline`).expect(200);
    f.contract.check('POST', '/v1/incidents/{incident_id}/accept-baseline', response);
    const accepted = response.body;
    expect(accepted).toMatchObject({ status: 'resolved' });
    expect(accepted.timeline.at(-1)).toMatchObject({ type: 'resolved', details: { accept_baseline: { baseline_from: dayAt(20) } } });
    for (let i = 22; i < 30; i++) {
      await report([point(pipeline, 'shop.events', noisy(5000, i), dayAt(i))]);
      await tick();
    }
    expect(await incidentsOf(watch.id)).toEqual([expect.objectContaining({ incident_id: shifted.incident_id, status: 'resolved', reopen_count: 0 })]);
    const verdict = (await http(f.t.app).get(`/v1/monitors/${watch.id}`).expect(200)).body.series[0];
    expect(verdict).toMatchObject({ baseline_from: dayAt(20).replace('Z', '000Z'), verdict: { verdict: 'normal' } });

    const limits = await monitor({ pipeline_name: pipeline, kind: 'metric_threshold', params: { metric_type: 'row_count', max: 100 } });
    await report([point(pipeline, 'shop.events', 5000, dayAt(30))]);
    await tick();
    const [overMax] = await incidentsOf(limits.id);
    const refused = await http(f.t.app).post(`/v1/incidents/${overMax.incident_id}/accept-baseline`).expect(409);
    f.contract.check('POST', '/v1/incidents/{incident_id}/accept-baseline', refused);
    expect(refused.body).toMatchObject({ code: 'INCIDENTS.NOT_ANOMALY' });
    expect((await incidentsOf(limits.id))[0]).toMatchObject({ status: 'open' });
    await http(f.t.app).post(`/v1/incidents/${randomUUID()}/accept-baseline`).expect(404);
  });

  it('a failed assertion of an OpenLineage event opens an incident naming its column; the next passing run resolves it', async () => {
    const job = { namespace: 'airflow', name: `dq_${randomUUID().slice(0, 8)}` };
    const table = { namespace: 'postgres://db:5432', name: 'public.orders' };
    const assertions = (failing: boolean) => {
      const facet = corpus('spec/examples/DataQualityAssertionsDatasetFacet.json') as { dataQualityAssertions: { assertions: Record<string, unknown>[] } };
      if (failing) facet.dataQualityAssertions.assertions[5] = { assertion: 'not_null', column: 'customer_id', success: false, failing_rows: 12 };
      return [{ ...table, inputFacets: facet }];
    };
    const run = (failing: boolean, time: string) => postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId: randomUUID(), time, job, inputs: assertions(failing) })).expect(201);
    await run(false, '2026-07-01T06:00:00Z');
    const tests = await monitor({ dataset_namespace: table.namespace, dataset_name: table.name, kind: 'test_failed' });
    await tick();
    expect(await incidentsOf(tests.id)).toEqual([]);
    await run(true, '2026-07-02T06:00:00Z');
    await tick();
    const [failed, ...others] = await incidentsOf(tests.id);
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ status: 'open', kind: 'test_failed', pipeline_name: `airflow/${job.name}`, dataset_name: 'public.orders', column: 'customer_id' });
    expect(failed.evidence).toMatchObject({ test: 'not_null', success: false, failing_rows: 12, column: 'customer_id', dataset: table });
    await run(false, '2026-07-03T06:00:00Z');
    await tick();
    expect(await incidentsOf(tests.id)).toEqual([expect.objectContaining({ incident_id: failed.incident_id, status: 'resolved' })]);
  });

  it('test_failed on REST test results: one incident per test of a column, with its failing rows; a pass resolves only its own', async () => {
    const pipeline = `tests_${randomUUID().slice(0, 8)}`;
    const result = (name: string, success: boolean, at: string, failing_rows?: number) => ({
      ...point(pipeline, 'shop.orders', success ? 1 : 0, at, 'assertion'),
      column: 'order_id',
      assertion: { name, ...(failing_rows === undefined ? {} : { failing_rows }) },
    });
    await report([result('unique', true, dayAt(0)), result('not_null', true, dayAt(0))]);
    const tests = await monitor({ pipeline_name: pipeline, kind: 'test_failed' });
    await report([result('unique', false, dayAt(1), 3), result('not_null', false, dayAt(1), 7)]);
    await tick();
    const failed = await incidentsOf(tests.id);
    expect(failed.map((i) => [i.evidence.test, i.evidence.failing_rows, i.column, i.status]).sort()).toEqual([
      ['not_null', 7, 'order_id', 'open'],
      ['unique', 3, 'order_id', 'open'],
    ]);
    await report([result('unique', true, dayAt(2))]);
    await tick();
    expect((await incidentsOf(tests.id)).map((i) => [i.evidence.test, i.status]).sort()).toEqual([
      ['not_null', 'open'],
      ['unique', 'resolved'],
    ]);
  });

  it('bad input: 400 naming the field, nothing written', async () => {
    const pipeline = `bad_${randomUUID().slice(0, 8)}`;
    await history(pipeline, 'shop.orders', 1, () => 1);
    const count = async () => (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from monitors`))[0].n;
    const before = await count();
    const onTable = { dataset_namespace: NS, dataset_name: 'shop.orders' };
    for (const [body, pointer] of [
      [{ ...onTable, kind: 'metric_threshold', params: { metric_type: 'row_cuont', max: 1 } }, '/params/metric_type'],
      [{ ...onTable, kind: 'metric_threshold', params: { metric_type: 'row_count', min: 5, max: 1 } }, '/params/min'],
      [{ ...onTable, kind: 'metric_anomaly', params: { metric_type: 'row_count', seasonality: 'monthly' } }, '/params/seasonality'],
      [{ dataset_name: 'shop.orders', kind: 'test_failed' }, '/dataset_namespace'],
      [{ pipeline_name: pipeline, column: 'id', kind: 'test_failed' }, '/dataset_name'],
      [{ ...onTable, pipeline_name: pipeline, kind: 'freshness', params: { max_age: 'PT1H' } }, '/dataset_namespace'],
      [{ kind: 'run_failed' }, '/pipeline_name'],
    ] as const) {
      const refused = await http(f.t.app).post('/v1/monitors').send(body).expect(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.errors[0].pointer).toBe(pointer);
    }
    const made = await monitor({ ...onTable, kind: 'metric_threshold', params: { metric_type: 'row_count', max: 10 } });
    const patched = await http(f.t.app).patch(`/v1/monitors/${made.id}`).send({ params: { metric_type: 'row_count', min: 3, max: 2 } }).expect(400);
    expect(patched.body.errors[0].pointer).toBe('/params/min');
    expect((await http(f.t.app).get(`/v1/monitors/${made.id}`).expect(200)).body).toMatchObject({ params: { metric_type: 'row_count', max: 10 }, column: null, dataset_name: 'shop.orders', pipeline_name: null });
    expect(await count()).toBe(before + 1);
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { DATA_CANDIDATES, PREVIOUS_POINTS, TEST_RESULTS, TRAINING_POINTS } from '../../../src/monitors/evaluation/data.sql.js';
import { seriesVerdicts, targetReportsMetric } from '../../../src/monitors/monitors.sql.js';
import { useOrmDatabase } from '../../support/orm.js';
import { scansOf } from '../../support/query-plan.js';


/**
 * The data monitors' statements over 6,000 series (2,000 pipeline-level, 2,000 dataset-level, 2,000 column
 * series) of 20 points each: the metrics are only ever reached through the two series indexes. (The series
 * catalog, one row per series, may be read whole when many of its series are judged at once: the planner's
 * call, cheaper than as many key probes.)
 */
describe('query plans of the data monitors', () => {
  const t = useOrmDatabase();
  let pairs: { monitor_id: string; series_id: string }[] = [];

  const plan = (text: string, params: readonly unknown[]) => scansOf(t.orm.em, text, params);

  beforeAll(async () => {
    const conn = t.orm.em.getConnection();
    await conn.execute(`
      insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at, dataset_namespace, dataset_name, column_name)
      select gen_random_uuid(), 'pipe_' || (s % 2000), case when s >= 4000 then 'assertion' else 'row_count' end, (p % 2)::float8,
             timestamptz '2026-06-01' + p * interval '1 day',
             case when s >= 2000 then 'postgres://db' end, case when s >= 2000 then 'public.t' || s end, case when s >= 4000 then 'c' || s end
      from generate_series(0, 5999) s, generate_series(1, 20) p`);
    await conn.execute(`
      insert into monitors (id, pipeline_name, kind, severity, params, enabled)
      select gen_random_uuid(), 'pipe_' || i, k, 'warning',
             case k when 'metric_threshold' then '{"metric_type": "row_count", "max_change_pct": 50}' when 'metric_anomaly' then '{"metric_type": "row_count", "training": "P28D"}' else '{}' end::jsonb, true
      from generate_series(0, 1999) i, unnest(array['metric_threshold', 'metric_anomaly', 'test_failed']) k`);
    await conn.execute('analyze data_quality_metrics, metric_series, monitors');
    pairs = (await conn.execute<{ monitor_id: string; series_id: string }[]>(`
      select m.id as monitor_id, s.series_id from monitors m join metric_series s on s.pipeline_name = m.pipeline_name limit 500`));
  }, 120_000);

  it('the candidates: series from the catalog, no metric read at all', async () => {
    const p = await plan(DATA_CANDIDATES.sql, DATA_CANDIDATES.values({}));
    expect(p.seq).not.toContain('data_quality_metrics');
    expect(p.indexes.some((i) => i.startsWith('data_quality_metrics'))).toBe(false);
  });

  it('the previous points, the training windows and the test results: the series indexes only', async () => {
    const ids = pairs.map((x) => x.series_id);
    const training = JSON.stringify(pairs.map((x) => ({ ...x, training: '28 days', baseline_from: null, excluded: [] })));
    const after = JSON.stringify(pairs.map((x) => ({ ...x, after_at: '2026-06-10T00:00:00Z', after_id: '00000000-0000-7000-8000-000000000000' })));
    for (const p of [
      await plan(PREVIOUS_POINTS.sql, PREVIOUS_POINTS.values({ seriesIds: ids })),
      await plan(TRAINING_POINTS.sql, TRAINING_POINTS.values({ pairs: training })),
      await plan(TEST_RESULTS.sql, TEST_RESULTS.values({ pairs: after })),
    ]) {
      expect(p.seq).not.toContain('data_quality_metrics');
      expect(p.indexes).toEqual(expect.arrayContaining(['data_quality_metrics_pipeline_series_idx', 'data_quality_metrics_dataset_series_idx']));
    }
  });

  it('the API: a monitor\'s verdicts and "has the target reported this metric type" without a scan', async () => {
    const verdicts = seriesVerdicts(pairs[0].monitor_id, 100).compile();
    expect((await plan(verdicts.sql, verdicts.parameters)).seq).toEqual([]);
    for (const target of [
      { pipeline_name: 'pipe_7', dataset_namespace: null, dataset_name: null, column: null },
      { pipeline_name: null, dataset_namespace: 'postgres://db', dataset_name: 'public.t2100', column: null },
      { pipeline_name: null, dataset_namespace: 'postgres://db', dataset_name: 'public.t4100', column: 'c4100' },
    ]) {
      const q = targetReportsMetric(target, 'row_count').compile();
      expect((await plan(q.sql, q.parameters)).seq).toEqual([]);
    }
  });
});

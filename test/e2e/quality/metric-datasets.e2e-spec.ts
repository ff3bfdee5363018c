import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { facet, postLineage, runEvent } from '../../support/lineage-fixtures.js';
import { metric } from '../../support/quality-fixtures.js';
import { sql } from '../../support/test-database.js';

const NS = 'postgres://db:5432';
/** The specification's DataQualityAssertionsDatasetFacet example, as ../shared ships it. */
const ASSERTIONS_EXAMPLE = JSON.parse(
  readFileSync(new URL('../../../../shared/openlineage/spec/facet-examples/DataQualityAssertionsDatasetFacet/1.json', import.meta.url), 'utf8'),
) as { dataQualityAssertions: { assertions: { assertion: string; column?: string; success: boolean }[] } };

describe('metrics of a dataset and a column', () => {
  const f = useApp();
  const series = (pipeline: string) =>
    sql(
      f.db.url,
      `select dataset_namespace, dataset_name, column_name, metric_type, point_count::int as points, last_value from metric_series where pipeline_name = '${pipeline}'
       order by dataset_name nulls first, column_name nulls first, metric_type`,
    );

  it('records the dataset (normalised) and the column, shows them, and keeps each table and column its own series', async () => {
    const res = await http(f.t.app)
      .post('/v1/metrics')
      .send(metric({ pipeline_name: 'dbt_shop', metric_type: 'row_count', metric_value: 1000, dataset_namespace: ' Postgres://DB:5432/ ', dataset_name: ' public.orders ' }))
      .expect(201);
    expect(res.body).toMatchObject({ dataset_namespace: NS, dataset_name: 'public.orders', column: null });
    await http(f.t.app)
      .post('/v1/metrics/batch')
      .send({
        metrics: [
          metric({ pipeline_name: 'dbt_shop', metric_type: 'row_count', metric_value: 1001, dataset_namespace: NS, dataset_name: 'public.orders' }),
          metric({ pipeline_name: 'dbt_shop', metric_type: 'row_count', metric_value: 5, dataset_namespace: NS, dataset_name: 'public.customers' }),
          metric({ pipeline_name: 'dbt_shop', metric_type: 'null_rate', metric_value: 0.5, dataset_namespace: NS, dataset_name: 'public.orders', column: 'amount' }),
          metric({ pipeline_name: 'dbt_shop', metric_type: 'row_count', metric_value: 7 }),
        ],
      })
      .expect(201);
    expect(await series('dbt_shop')).toEqual([
      { dataset_namespace: null, dataset_name: null, column_name: null, metric_type: 'row_count', points: 1, last_value: 7 },
      { dataset_namespace: NS, dataset_name: 'public.customers', column_name: null, metric_type: 'row_count', points: 1, last_value: 5 },
      { dataset_namespace: NS, dataset_name: 'public.orders', column_name: null, metric_type: 'row_count', points: 2, last_value: 1001 },
      { dataset_namespace: NS, dataset_name: 'public.orders', column_name: 'amount', metric_type: 'null_rate', points: 1, last_value: 0.5 },
    ]);
    const listed = await http(f.t.app).get('/v1/metrics').query({ pipeline_name: 'dbt_shop', metric_type: 'null_rate' }).expect(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ dataset_namespace: NS, dataset_name: 'public.orders', column: 'amount' })]);
  });

  it('stores a data test result sent over REST in the shape OpenLineage gives it', async () => {
    const res = await http(f.t.app)
      .post('/v1/metrics')
      .send(
        metric({
          pipeline_name: 'dbt_shop',
          metric_type: 'assertion',
          metric_value: 0,
          dataset_namespace: NS,
          dataset_name: 'public.payments',
          column: 'amount',
          assertion: { name: 'not_null_payments_amount', failing_rows: 12 },
        }),
      )
      .expect(201);
    expect(res.body).toMatchObject({
      metric_type: 'assertion',
      column: 'amount',
      metadata: { assertion: { assertion: 'not_null_payments_amount', success: false, column: 'amount', failing_rows: 12 } },
    });
  });

  it('gives every assertion of the specification example its dataset and column, from the dataset the facet belongs to', async () => {
    const runId = randomUUID();
    const assertions = ASSERTIONS_EXAMPLE.dataQualityAssertions.assertions.map((a, i) => (i === 1 ? { ...a, success: false } : a));
    const input = { namespace: 'Postgres://DB:5432', name: 'public.orders', inputFacets: { dataQualityAssertions: facet({ assertions }) } };
    const other = { namespace: NS, name: 'public.customers', inputFacets: { inputStatistics: facet({ rowCount: 42 }) } };
    await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: '2026-11-20T10:00:00Z', job: { namespace: 'dbt', name: 'jaffle_shop.test' }, inputs: [input, other] })).expect(201);
    const rows = await sql<{ dataset_namespace: string; dataset_name: string; column_name: string | null; metric_type: string; metric_value: number }>(
      f.db.url,
      `select dataset_namespace, dataset_name, column_name, metric_type, metric_value from data_quality_metrics where execution_id = '${runId}' order by metric_id`,
    );
    expect(rows).toEqual([
      ...assertions.map((a) => ({ dataset_namespace: NS, dataset_name: 'public.orders', column_name: a.column ?? null, metric_type: 'assertion', metric_value: a.success ? 1 : 0 })),
      { dataset_namespace: NS, dataset_name: 'public.customers', column_name: null, metric_type: 'row_count', metric_value: 42 },
    ]);
    expect(rows.filter((r) => r.metric_value === 0)).toEqual([expect.objectContaining({ column_name: 'amount' })]);
  });
});

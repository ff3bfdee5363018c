import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { metric } from '../../support/quality-fixtures.js';
import { sql } from '../../support/test-database.js';

const PG = 'postgres://db:5432';
const S3 = 's3://lake';
const HOUR = 3_600_000;

interface Dataset {
  dataset_namespace: string;
  dataset_name: string;
  pipelines: string[];
  metrics: { metric_type: string; metric_value: number; pipeline_name: string }[];
  columns: { column: string; metrics: { metric_type: string; metric_value: number }[] }[];
  column_count: number;
  open_incidents: number;
}

describe('GET /v1/datasets', () => {
  const f = useApp();
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const list = (query: Record<string, unknown> = {}) => http(f.t.app).get('/v1/datasets').query(query);

  /** An incident about a dataset, as a data monitor would open it (monitors are not what this suite tests). */
  const incident = (n: number, name: string, status: string, column: string | null = null) =>
    sql(
      f.db.url,
      `insert into incidents (incident_id, dedupe_key, pipeline_name, kind, severity, status, first_seen_at, last_seen_at, resolved_at, evidence,
                              dataset_namespace, dataset_name, column_name)
       values ('00000000-0000-7000-8000-00000000000${n}', 'test-${n}', 'dbt.shop', 'run_failed', 'warning', '${status}', now(), now(),
               ${status === 'resolved' ? 'now()' : 'null'}, '{}', '${PG}', '${name}', ${column === null ? 'null' : `'${column}'`})`,
    );

  beforeAll(async () => {
    const m = (pipeline: string, namespace: string, name: string, type: string, value: number, msAgo: number, column?: string) =>
      metric({ pipeline_name: pipeline, dataset_namespace: namespace, dataset_name: name, metric_type: type, metric_value: value, recorded_at: ago(msAgo), ...(column ? { column } : {}) });
    await http(f.t.app)
      .post('/v1/metrics/batch')
      .send({
        metrics: [
          metric({ pipeline_name: 'dbt.shop', metric_value: 1 }),
          m('dbt.shop', PG, 'public.orders', 'row_count', 1000, 3 * HOUR),
          m('dbt.shop', PG, 'public.orders', 'row_count', 1100, 2 * HOUR),
          m('orders_report', PG, 'public.orders', 'row_count', 1090, HOUR),
          m('dbt.shop', PG, 'public.orders', 'freshness', 60, 2 * HOUR),
          m('dbt.shop', PG, 'public.orders', 'null_rate', 0.5, 2 * HOUR, 'amount'),
          m('dbt.shop', PG, 'public.orders', 'null_rate', 0, 2 * HOUR, 'id'),
          m('dbt.shop', PG, 'public.customers', 'row_count', 50, HOUR),
          m('dbt.shop', PG, 'staging.orders', 'row_count', 999, HOUR),
          m('lake_ingest', S3, 'raw/orders', 'row_count', 12, HOUR),
        ],
      })
      .expect(201);
    await incident(1, 'public.orders', 'open');
    await incident(2, 'public.orders', 'acknowledged', 'amount');
    await incident(3, 'public.orders', 'resolved');
    await incident(4, 'public.customers', 'resolved');
  });

  it('lists the datasets metrics name, by namespace then name, each with its latest metrics and open incidents', async () => {
    const res = await list().expect(200);
    f.contract.check('GET', '/v1/datasets', res);
    const data = res.body.data as Dataset[];
    expect(data.map((d) => [d.dataset_namespace, d.dataset_name])).toEqual([
      [PG, 'public.customers'],
      [PG, 'public.orders'],
      [PG, 'staging.orders'],
      [S3, 'raw/orders'],
    ]);
    const orders = data[1];
    expect(orders).toMatchObject({ pipelines: ['dbt.shop', 'orders_report'], column_count: 2, open_incidents: 2 });
    // The newest row count is the reader's; the dataset's own metrics and each column's apart.
    expect(orders.metrics.map((p) => [p.metric_type, p.metric_value, p.pipeline_name])).toEqual([
      ['freshness', 60, 'dbt.shop'],
      ['row_count', 1090, 'orders_report'],
    ]);
    expect(orders.columns.map((c) => [c.column, c.metrics.map((p) => [p.metric_type, p.metric_value])])).toEqual([
      ['amount', [['null_rate', 0.5]]],
      ['id', [['null_rate', 0]]],
    ]);
    expect(data[0]).toMatchObject({ open_incidents: 0, columns: [], column_count: 0 });
  });

  it('pages with a cursor, never repeating or skipping a dataset', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await list({ limit: 1, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.data).toHaveLength(1);
      seen.push(`${res.body.data[0].dataset_namespace} ${res.body.data[0].dataset_name}`);
      cursor = res.body.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([`${PG} public.customers`, `${PG} public.orders`, `${PG} staging.orders`, `${S3} raw/orders`]);
  });

  it('filters by namespace (normalised), name prefix and pipeline; a pipeline filter keeps that pipeline\'s reports', async () => {
    const names = async (query: Record<string, unknown>) => ((await list(query).expect(200)).body.data as Dataset[]).map((d) => d.dataset_name);
    expect(await names({ namespace: 'S3://LAKE/' })).toEqual(['raw/orders']);
    expect(await names({ q: 'public.' })).toEqual(['public.customers', 'public.orders']);
    expect(await names({ q: 'public_' })).toEqual([]);
    expect(await names({ namespace: PG, q: 'staging' })).toEqual(['staging.orders']);
    const reader = (await list({ pipeline_name: 'orders_report' }).expect(200)).body.data as Dataset[];
    expect(reader.map((d) => [d.dataset_name, d.pipelines, d.metrics.map((p) => p.metric_value)])).toEqual([['public.orders', ['orders_report'], [1090]]]);
  });

  it('gives one dataset by its percent-encoded namespace and name, 404 for one no metric names', async () => {
    const res = await http(f.t.app).get(`/v1/datasets/${encodeURIComponent(PG)}/${encodeURIComponent('public.orders')}`).expect(200);
    f.contract.check('GET', '/v1/datasets/{namespace}/{name}', res);
    expect(res.body).toMatchObject({ dataset_namespace: PG, dataset_name: 'public.orders', open_incidents: 2, column_count: 2 });
    const slash = await http(f.t.app).get(`/v1/datasets/${encodeURIComponent(S3)}/${encodeURIComponent('raw/orders')}`).expect(200);
    expect(slash.body.dataset_name).toBe('raw/orders');
    const missing = await http(f.t.app).get(`/v1/datasets/${encodeURIComponent(PG)}/nothing`).expect(404);
    expect(missing.body.code).toBe('QUALITY.DATASET_NOT_FOUND');
  });

  it('answers 400 for a cursor it did not issue and for unknown parameters', async () => {
    expect((await list({ cursor: 'bm90LWEtY3Vyc29y' }).expect(400)).body.code).toBe('REQUEST.INVALID_CURSOR');
    expect((await list({ limit: 0 }).expect(400)).body.errors[0].pointer).toBe('/limit');
    await list({ dataset_name: 'public.orders' }).expect(400);
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { runCompiled } from '../../../src/database/typed-sql.js';
import type { Aggregate } from '../../../src/quality/dto/trends.query.js';
import { subjectOf } from '../../../src/quality/series-subject.js';
import { seriesQuery } from '../../../src/quality/trends.sql.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { metric, qualityRowCounts } from '../../support/quality-fixtures.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NS = 'postgres://db:5432';
const ORDERS = { dataset_namespace: NS, dataset_name: 'public.orders' };
const CUSTOMERS = { dataset_namespace: NS, dataset_name: 'public.customers' };

type Point = { metric_type: string; metric_value: number; pipeline_name: string };

/** Two output tables of one pipeline (and a reader of one of them): each series is its own. */
describe('latest values, series and anomalies of a dataset or a column', () => {
  const f = useApp();
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const get = (route: string, query: Record<string, unknown>) => http(f.t.app).get(`/v1/metrics/${route}`).query(query);

  beforeAll(async () => {
    const at = (dataset: object, msAgo: number, value: number, more: object = {}) =>
      metric({ pipeline_name: 'dbt.shop', ...dataset, metric_value: value, recorded_at: ago(msAgo), ...more });
    const history = (dataset: object, values: number[], more: object = {}) => values.map((v, i) => at(dataset, (10 - i) * DAY, v, more));
    const metrics = [
      // The pipeline's own series, as before datasets: it must see none of the tables' rows.
      metric({ pipeline_name: 'dbt.shop', metric_value: 7, recorded_at: ago(2 * HOUR) }),
      // orders: a steady history, and a usual value now; customers: the same history, then 1000 times more.
      ...history(ORDERS, [1000, 1010, 990, 1005, 995]),
      at(ORDERS, HOUR, 1002),
      ...history(CUSTOMERS, [1000, 1010, 990, 1005, 995]),
      at(CUSTOMERS, HOUR, 1_000_000),
      // A column of orders, and the same metric type as the dataset's.
      at(ORDERS, 3 * HOUR, 0.25, { column: 'amount', metric_type: 'null_rate' }),
      at(ORDERS, 3 * HOUR, 42, { column: 'amount' }),
      // Another pipeline reading orders, hours earlier, and later than the writer's newest row count.
      metric({ pipeline_name: 'orders_report', ...ORDERS, metric_value: 1003, recorded_at: ago(5 * HOUR) }),
      metric({ pipeline_name: 'orders_report', ...ORDERS, metric_value: 1001, recorded_at: ago(30 * 60_000) }),
    ];
    await http(f.t.app).post('/v1/metrics/batch').send({ metrics }).expect(201);
  });

  describe('GET /v1/metrics/latest', () => {
    it("gives a dataset's newest value of each type from any pipeline, or from the one named, and says which dataset", async () => {
      const res = await get('latest', ORDERS).expect(200);
      f.contract.check('GET', '/v1/metrics/latest', res);
      expect(res.body).toMatchObject({ pipeline_name: null, ...ORDERS, column: null });
      expect(res.body.data.map((m: Point) => [m.metric_type, m.metric_value, m.pipeline_name])).toEqual([['row_count', 1001, 'orders_report']]);
      const writer = await get('latest', { ...ORDERS, pipeline_name: 'dbt.shop' }).expect(200);
      expect(writer.body.pipeline_name).toBe('dbt.shop');
      expect(writer.body.data.map((m: Point) => m.metric_value)).toEqual([1002]);
    });

    it("gives a column's own values, apart from the dataset's", async () => {
      const res = await get('latest', { ...ORDERS, column: 'amount' }).expect(200);
      expect(res.body.column).toBe('amount');
      expect(res.body.data.map((m: Point) => [m.metric_type, m.metric_value])).toEqual([['null_rate', 0.25], ['row_count', 42]]);
      const one = await get('latest', { ...ORDERS, column: 'amount', metric_type: ['row_count', 'missing'] }).expect(200);
      expect(one.body.data.map((m: Point) => m.metric_value)).toEqual([42]);
    });

    it('keeps the two tables of one pipeline apart, and the pipeline-level series apart from both', async () => {
      expect((await get('latest', CUSTOMERS).expect(200)).body.data.map((m: Point) => m.metric_value)).toEqual([1_000_000]);
      const pipeline = await get('latest', { pipeline_name: 'dbt.shop' }).expect(200);
      expect(pipeline.body).toMatchObject({ pipeline_name: 'dbt.shop', dataset_namespace: null, dataset_name: null, column: null });
      expect(pipeline.body.data.map((m: Point) => [m.metric_type, m.metric_value])).toEqual([['row_count', 7]]);
      expect((await get('latest', { pipeline_name: 'dbt.shop', metric_type: ['null_rate'] }).expect(200)).body.data).toEqual([]);
    });

    it('finds a dataset however its namespace is spelled: normalised as the metrics store it', async () => {
      const res = await get('latest', { dataset_namespace: ' POSTGRES://DB:5432/ ', dataset_name: ' public.orders ' }).expect(200);
      expect(res.body).toMatchObject(ORDERS);
      expect(res.body.data).toHaveLength(1);
      expect((await get('latest', { ...ORDERS, dataset_name: 'public.nothing' }).expect(200)).body.data).toEqual([]);
    });
  });

  describe('GET /v1/metrics/series', () => {
    const range = { metric_type: 'row_count', from: ago(11 * DAY), bucket: '1d', agg: 'sum' };
    const sums = (points: { value: number | null }[]) => points.map((p) => p.value).filter((v) => v !== null);

    it('aggregates only the dataset (or column) named, and echoes it', async () => {
      const orders = await get('series', { ...range, ...ORDERS }).expect(200);
      f.contract.check('GET', '/v1/metrics/series', orders);
      expect(orders.body).toMatchObject({ ...ORDERS, column: null, pipeline_name: null });
      expect(sums(orders.body.points).reduce((a: number, b: number) => a + b)).toBeCloseTo(1000 + 1010 + 990 + 1005 + 995 + 1002 + 1003 + 1001, 6);
      const writer = await get('series', { ...range, ...ORDERS, pipeline_name: 'dbt.shop' }).expect(200);
      expect(sums(writer.body.points).reduce((a: number, b: number) => a + b)).toBeCloseTo(1000 + 1010 + 990 + 1005 + 995 + 1002, 6);
      const column = await get('series', { ...range, ...ORDERS, column: 'amount', agg: 'count' }).expect(200);
      expect(column.body.points.reduce((a: number, p: { count: number }) => a + p.count, 0)).toBe(1);
    });

    it.each<Aggregate>(['avg', 'min', 'max', 'sum', 'count', 'last'])(
      "agg=%s: a dataset's hourly series from the rollup (every pipeline's rows) equals aggregating its metrics",
      async (agg) => {
        for (const query of [ORDERS, { ...ORDERS, pipeline_name: 'dbt.shop' }, { ...ORDERS, column: 'amount' }]) {
          const from = ago(11 * DAY);
          const res = await get('series', { ...query, metric_type: 'row_count', from, bucket: '1h', agg }).expect(200);
          const { shape, values } = subjectOf(query);
          const raw = seriesQuery(agg, { ...values, subject: shape, type: 'row_count', from: res.body.from, to: res.body.to, bucket: '1 hour', wholeHours: false });
          const expected = await runCompiled(f.t.app.get(MikroORM).em.fork(), raw.compile());
          expect(res.body.points.map((p: { count: number }) => p.count)).toEqual(expected.map((p) => p.count));
          res.body.points.forEach((p: { value: number | null }, i: number) => {
            if (expected[i].value === null) expect(p.value).toBeNull();
            else expect(p.value).toBeCloseTo(expected[i].value as number, 6);
          });
        }
      },
    );

    it('gives the pipeline-level series without any dataset row, from the rollup and from the metrics', async () => {
      for (const bucket of ['1d', '5m']) {
        const from = bucket === '5m' ? ago(DAY) : range.from;
        const res = await get('series', { ...range, from, bucket, pipeline_name: 'dbt.shop', agg: 'count' }).expect(200);
        expect(res.body.points.reduce((a: number, p: { count: number }) => a + p.count, 0)).toBe(1);
      }
    });
  });

  describe('GET /v1/metrics/anomalies', () => {
    it("scores a table against its own history: a 1000-fold jump in customers leaves orders quiet, and the pipeline's series too", async () => {
      const orders = await get('anomalies', { ...ORDERS, pipeline_name: 'dbt.shop', metric_type: 'row_count' }).expect(200);
      f.contract.check('GET', '/v1/metrics/anomalies', orders);
      expect(orders.body).toMatchObject({ ...ORDERS, pipeline_name: 'dbt.shop', baseline: { count: 5 } });
      expect(orders.body.points.map((p: { value: number; anomaly: boolean }) => [p.value, p.anomaly])).toEqual([[1002, false]]);
      const customers = await get('anomalies', { ...CUSTOMERS, metric_type: 'row_count' }).expect(200);
      expect(customers.body.points.map((p: { value: number; anomaly: boolean }) => [p.value, p.anomaly])).toEqual([[1_000_000, true]]);
      const pipeline = await get('anomalies', { pipeline_name: 'dbt.shop', metric_type: 'row_count' }).expect(200);
      expect(pipeline.body).toMatchObject({ baseline: { count: 0 }, points: [{ value: 7, anomaly: false }] });
    });
  });

  describe('bad input', () => {
    it.each([
      ['a dataset name without its namespace', { dataset_name: 'public.orders' }, '/dataset_namespace'],
      ['a namespace without a dataset name', { dataset_namespace: NS, pipeline_name: 'dbt.shop' }, '/dataset_name'],
      ['a column without a dataset', { pipeline_name: 'dbt.shop', column: 'amount' }, '/column'],
      ['neither a pipeline nor a dataset', {}, '/pipeline_name'],
      ['a blank dataset name', { dataset_namespace: NS, dataset_name: '  ' }, '/dataset_name'],
    ])('%s: 400 naming the field, on every trend route, and nothing written', async (_, query, pointer) => {
      const before = await qualityRowCounts(f.db.url);
      for (const route of ['latest', 'series', 'anomalies']) {
        const res = await get(route, { metric_type: 'row_count', ...query }).expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      }
      expect(await qualityRowCounts(f.db.url)).toEqual(before);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { metric } from '../../support/quality-fixtures.js';
import { runTs } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';
import { runCompiled } from '../../../src/database/typed-sql.js';
import { seriesQuery } from '../../../src/quality/trends.sql.js';
import type { Aggregate } from '../../../src/quality/dto/trends.query.js';

const ROLLUP_MIGRATION = '20261122_155418_add_metric_hours_rollup';
const AGGREGATES: Aggregate[] = ['avg', 'min', 'max', 'sum', 'count', 'last'];

/** A series' identity as one comparable key (the dataset fields are null for a pipeline's own series). */
const KEY = (t: string) => `(${t}.pipeline_name, coalesce(${t}.dataset_namespace, ''), coalesce(${t}.dataset_name, ''), coalesce(${t}.column_name, ''), ${t}.metric_type)`;

/**
 * Series and hours where the catalog or the rollup and the metrics disagree (or that only one of them
 * has): none when they are right.
 */
const MISMATCHES = `
  with series as (
    select ${KEY('m')} as key, count(*) as point_count, min(recorded_at) as first_recorded_at, max(recorded_at) as last_recorded_at,
           (array_agg(metric_id order by recorded_at desc, metric_id desc))[1] as last_metric_id,
           (array_agg(metric_value order by recorded_at desc, metric_id desc))[1] as last_value
    from data_quality_metrics m group by 1),
  catalog as (select ${KEY('s')} as key, s.* from metric_series s),
  fresh as (
    select c.series_id, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour,
           count(*) as count, sum(metric_value) as sum, min(metric_value) as min, max(metric_value) as max,
           max(recorded_at) as last_recorded_at,
           (array_agg(metric_id order by recorded_at desc, metric_id desc))[1] as last_metric_id,
           (array_agg(metric_value order by recorded_at desc, metric_id desc))[1] as last_value
    from data_quality_metrics m join catalog c on c.key = ${KEY('m')} group by 1, 2)
  select 'series' as what, f.key::text as metrics, c.key::text as catalog
  from series f full join catalog c using (key)
  where f.point_count is distinct from c.point_count or f.first_recorded_at is distinct from c.first_recorded_at
     or f.last_recorded_at is distinct from c.last_recorded_at or f.last_metric_id is distinct from c.last_metric_id
     or f.last_value is distinct from c.last_value
  union all
  select 'hour', f.series_id || ' ' || f.hour, h.series_id || ' ' || h.hour
  from fresh f full join data_quality_metric_hours h using (series_id, hour)
  where f.count is distinct from h.count or f.min is distinct from h.min or f.max is distinct from h.max
     or f.last_value is distinct from h.last_value or f.last_metric_id is distinct from h.last_metric_id
     or f.last_recorded_at is distinct from h.last_recorded_at
     or abs(f.sum - h.sum) > 1e-9 * greatest(1, abs(f.sum))`;

const hoursCount = async (url: string) => (await sql<{ n: number }>(url, 'select count(*)::int as n from data_quality_metric_hours'))[0].n;

/** A value on a pseudo-random walk (fixed seed), with fractions, negatives and repeats. */
function values(seed: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return Math.round(((x / 2 ** 31) * 2000 - 500) * 1000) / 1000;
  });
}

describe('the hourly rollup of metrics (data_quality_metric_hours)', () => {
  const f = useApp();
  const T0 = Date.parse('2026-10-01T00:00:00Z');
  const at = (minutes: number) => new Date(T0 + minutes * 60_000 + 123).toISOString();

  beforeAll(async () => {
    // Three pipelines over three days, every 13 minutes, two types; then a few single records.
    const metrics = values(7, 900).map((v, i) => metric({ pipeline_name: `hours_${i % 3}`, metric_type: i % 2 ? 'row_count' : 'null_rate', metric_value: v, recorded_at: at(i * 5) }));
    for (let i = 0; i < metrics.length; i += 300) await http(f.t.app).post('/v1/metrics/batch').send({ metrics: metrics.slice(i, i + 300) }).expect(201);
    for (const [minutes, value] of [[61, 5e6], [62, -7.25], [4000, 0]] as const) {
      await http(f.t.app).post('/v1/metrics').send(metric({ pipeline_name: 'hours_0', metric_type: 'row_count', metric_value: value, recorded_at: at(minutes) })).expect(201);
    }
  }, 60_000);

  it('matches the metrics after batches and single records', async () => {
    expect(await hoursCount(f.db.url)).toBeGreaterThan(100);
    expect(await sql(f.db.url, MISMATCHES)).toEqual([]);
  });

  it('follows deletes, updates that move metrics between hours or change them, and truncate', async () => {
    await sql(f.db.url, `delete from data_quality_metrics where pipeline_name = 'hours_1' and metric_value < 0`);
    expect(await sql(f.db.url, MISMATCHES)).toEqual([]);
    await sql(f.db.url, `update data_quality_metrics set metric_value = metric_value * 3 where pipeline_name = 'hours_2' and metric_value between 100 and 400`);
    await sql(f.db.url, `update data_quality_metrics set recorded_at = recorded_at + interval '90 minutes' where pipeline_name = 'hours_0' and metric_value > 1000`);
    await sql(f.db.url, `update data_quality_metrics set pipeline_name = 'hours_moved' where pipeline_name = 'hours_2' and metric_type = 'null_rate' and metric_value > 900`);
    // Moved into a dataset's and a column's series, and some of them back out: series appear and empty ones go.
    await sql(f.db.url, `update data_quality_metrics set dataset_namespace = 'postgres://db:5432', dataset_name = 'public.t', column_name = case when metric_value > 800 then 'c' end where pipeline_name = 'hours_1' and metric_value > 500`);
    await sql(f.db.url, `update data_quality_metrics set dataset_namespace = null, dataset_name = null, column_name = null where pipeline_name = 'hours_1' and column_name = 'c' and metric_value > 900`);
    // An update that changes nothing the rollup counts (as deleting an execution does to its metrics).
    await sql(f.db.url, `update data_quality_metrics set metadata = '{"touched": true}' where pipeline_name = 'hours_1'`);
    expect(await sql(f.db.url, MISMATCHES)).toEqual([]);
    // New ids for the newest metrics of an hour (its last_metric_id changes with them).
    await sql(f.db.url, `update data_quality_metrics set metric_id = gen_random_uuid() where pipeline_name = 'hours_0' and recorded_at < '2026-10-01T06:00:00Z'`);
    // One statement that updates some metrics and inserts others: an upsert on metric_id.
    await sql(
      f.db.url,
      `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at)
       select metric_id, pipeline_name, metric_type, metric_value + 1, recorded_at + interval '2 hours' from data_quality_metrics where pipeline_name = 'hours_2' and metric_type = 'row_count'
       union all
       select gen_random_uuid(), 'hours_2', 'row_count', 42, timestamptz '2026-10-02T03:30:00Z' from generate_series(1, 5)
       on conflict (metric_id) do update set metric_value = excluded.metric_value, recorded_at = excluded.recorded_at`,
    );
    expect(await sql(f.db.url, MISMATCHES)).toEqual([]);
  });

  it('stays exact when metrics are deleted while others are added to the same hours', async () => {
    const adds = (k: number) =>
      http(f.t.app)
        .post('/v1/metrics/batch')
        .send({ metrics: values(300 + k, 200).map((v, i) => metric({ pipeline_name: 'hours_race', metric_type: 'row_count', metric_value: v, recorded_at: at(7000 + ((i * 7 + k) % 240)) })) });
    for (const k of [0, 1]) await adds(k).expect(201);
    const [deleted, ...added] = await Promise.all([
      sql(f.db.url, `delete from data_quality_metrics where pipeline_name = 'hours_race' and metric_value > 0`),
      adds(2),
      adds(3),
    ]);
    expect(deleted).toEqual([]);
    expect(added.map((a) => a.status)).toEqual([201, 201]);
    expect(await sql(f.db.url, MISMATCHES)).toEqual([]);
  });

  describe('series read from it', () => {
    // `to` inside an hour, with metrics later in that hour (they must not count) and earlier (they must).
    const windows = [
      { from: '2026-10-01T00:00:00Z', to: '2026-10-03T09:41:07.123456Z', bucket: '1h', sql: '1 hour' },
      { from: '2026-10-01T00:00:00Z', to: '2026-10-04T00:00:00Z', bucket: '1d', sql: '1 day' },
      { from: '2026-10-01T05:00:00Z', to: '2026-10-01T05:30:00Z', bucket: '1h', sql: '1 hour' },
    ];

    it.each(AGGREGATES)('agg=%s: the same points as aggregating the metrics themselves', async (agg) => {
      for (const w of windows) {
        for (const [pipeline, type] of [['hours_0', 'row_count'], ['hours_2', 'null_rate']]) {
          const res = await http(f.t.app).get('/v1/metrics/series').query({ pipeline_name: pipeline, metric_type: type, from: w.from, to: w.to, bucket: w.bucket, agg }).expect(200);
          const raw = seriesQuery(agg, { pipeline, type, from: new Date(w.from).toISOString(), to: w.to, bucket: w.sql, wholeHours: false });
          const expected = await runCompiled(f.t.app.get(MikroORM).em.fork(), raw.compile());
          expect(res.body.points.map((p: { bucket_start: string; count: number }) => [p.bucket_start, p.count])).toEqual(expected.map((p) => [p.bucket_start, p.count]));
          res.body.points.forEach((p: { value: number | null }, i: number) => {
            if (expected[i].value === null) expect(p.value).toBeNull();
            else expect(p.value).toBeCloseTo(expected[i].value as number, 6);
          });
        }
      }
    });
  });

  it('stays exact under concurrent batches into the same hours (no deadlock, nothing lost)', async () => {
    const batch = (k: number) =>
      values(100 + k, 400).map((v, i) => metric({ pipeline_name: `busy_${i % 2}`, metric_type: 'row_count', metric_value: v, recorded_at: at(((i * 37 + k * 11) % 600) + 6000) }));
    const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => http(f.t.app).post('/v1/metrics/batch').send({ metrics: batch(k) })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(await sql(f.db.url, MISMATCHES)).toEqual([]);
    expect(await sql(f.db.url, `select sum(h.count)::int as n from data_quality_metric_hours h join metric_series s using (series_id) where s.pipeline_name like 'busy_%'`)).toEqual([{ n: 3200 }]);
  });

  it('is emptied with the metrics by truncate', async () => {
    await sql(f.db.url, 'truncate data_quality_metrics');
    expect(await hoursCount(f.db.url)).toBe(0);
  });
});

describe('the migration that adds the rollup', () => {
  let db: TestDatabase;
  const migrate = (...args: string[]) => runTs('src/cli.ts', ['migrate', ...args], { DATABASE_URL: db.url }, 60_000);
  const before = COMMITTED_MIGRATIONS[COMMITTED_MIGRATIONS.indexOf(ROLLUP_MIGRATION) - 1];

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('sums up the metrics already recorded, and goes down and up again', async () => {
    expect((await migrate('up', '--to', before)).code).toBe(0);
    await sql(
      db.url,
      `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at)
       select gen_random_uuid(), 'old_' || (i % 5), 'row_count', (i * 7919) % 1000 / 10.0, timestamptz '2026-09-01 00:00Z' + i * interval '3 minutes'
       from generate_series(1, 5000) i`,
    );
    expect((await migrate('up')).code).toBe(0);
    // Each of 5 pipelines has a metric every 15 minutes for 250 hours; old_0's last falls on hour 250 itself.
    expect(await hoursCount(db.url)).toBe(5 * 250 + 1);
    expect(await sql(db.url, MISMATCHES)).toEqual([]);
    expect((await migrate('down', '--to', before)).code).toBe(0);
    expect(await sql(db.url, `select to_regclass('data_quality_metric_hours') as t`)).toEqual([{ t: null }]);
    expect((await migrate('up')).code).toBe(0);
    expect(await sql(db.url, MISMATCHES)).toEqual([]);
  }, 120_000);
});

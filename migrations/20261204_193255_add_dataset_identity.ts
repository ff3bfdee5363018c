import { Migration } from '@mikro-orm/migrations';

// Dataset and column identity of metrics (docs/datasets.md): the identity columns, the series catalog
// (metric_series) and the hourly rollup rebuilt keyed by series, both kept by the rewritten triggers
// (src/quality/metric-hours.sql.ts), and both filled from the metrics already recorded. As with the
// rollup's first migration, CREATE TRIGGER holds a SHARE ROW EXCLUSIVE lock on data_quality_metrics until
// the commit, so metric writes wait while the existing metrics are summed up (reads are not blocked): on a
// large table, apply it in a quiet moment.
//
// Generated in the safe form (see docs/migrations.md). This part runs in the run's transaction and holds no
// long lock on a table that has rows; the index builds and validations follow outside it, in
// 20261204_193256_add_dataset_identity_online.

export class Migration20261204193255_add_dataset_identity extends Migration {

  override name = 'Migration20261204193255_add_dataset_identity';

  override up(): void | Promise<void> {
    this.addSql(`create table "metric_series" ("series_id" uuid not null default gen_random_uuid(), "pipeline_name" text not null, "dataset_namespace" text null, "dataset_name" text null, "column_name" text null, "metric_type" text not null, "first_recorded_at" timestamptz not null, "last_recorded_at" timestamptz not null, "last_metric_id" uuid not null, "last_value" double precision not null, "point_count" bigint not null, primary key ("series_id"));`);
    this.addSql(`create index "metric_series_dataset_idx" on "metric_series" ("dataset_namespace", "dataset_name") where dataset_name is not null;`);
    this.addSql(`create unique index "metric_series_identity" on "metric_series" ("pipeline_name", "dataset_namespace", "dataset_name", "column_name", "metric_type") nulls not distinct;`);

    this.addSql(`alter table "incidents" add "dataset_namespace" text null, add "dataset_name" text null, add "column_name" text null;`);
    this.addSql(`alter table "incidents" add constraint "incidents_column_needs_dataset" check (column_name is null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "incidents" add constraint "incidents_dataset_whole" check ((dataset_namespace is null) = (dataset_name is null)) not valid;`);


    this.addSql(`drop trigger if exists "metric_hours_add" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_add_fn"();`);
    this.addSql(`drop trigger if exists "metric_hours_change" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_change_fn"();`);
    this.addSql(`drop trigger if exists "metric_hours_remove" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_remove_fn"();`);
    // The rollup is rebuilt keyed by series (its rows are recomputed below, from the metrics).
    // migration-lint-disable drop-table -- derived data, rebuilt in the same transaction under the same name; replicas of the previous release fail their hourly and daily series reads (an error, never a wrong answer) until they are replaced, as the release notes say
    this.addSql(`drop table "data_quality_metric_hours";`);
    this.addSql(`create table "data_quality_metric_hours" ("series_id" uuid not null, "hour" timestamptz not null, "count" bigint not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, "last_recorded_at" timestamptz not null, "last_metric_id" uuid not null, "last_value" double precision not null, constraint "data_quality_metric_hours_pkey" primary key ("series_id", "hour"), constraint "data_quality_metric_hours_series_id_foreign" foreign key ("series_id") references "metric_series" ("series_id") on delete cascade);`);
    this.addSql(`alter table "data_quality_metrics" add "dataset_namespace" text null, add "dataset_name" text null, add "column_name" text null;`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_column_needs_dataset" check (column_name is null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_dataset_whole" check ((dataset_namespace is null) = (dataset_name is null)) not valid;`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_add_fn"() returns trigger language plpgsql as \$\$ begin insert into metric_series as t (pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, first_recorded_at, last_recorded_at, last_metric_id, last_value, point_count)
    select m.pipeline_name, m.dataset_namespace, m.dataset_name, m.column_name, m.metric_type, min(m.recorded_at), (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1], (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1], (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1], count(*)
    from added m group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  on conflict (pipeline_name, dataset_namespace, dataset_name, column_name, metric_type) do update set
    point_count = t.point_count + excluded.point_count,
    first_recorded_at = least(t.first_recorded_at, excluded.first_recorded_at),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (t.last_recorded_at, t.last_metric_id) then excluded.last_value else t.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (t.last_recorded_at, t.last_metric_id) then excluded.last_metric_id else t.last_metric_id end,
    last_recorded_at = greatest(t.last_recorded_at, excluded.last_recorded_at);   insert into data_quality_metric_hours as h (series_id, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at, (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id, (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from added m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type and s.dataset_name is not distinct from m.dataset_name and s.dataset_namespace is not distinct from m.dataset_namespace and s.column_name is not distinct from m.column_name 
    group by 1, 2
    order by 1, 2
  on conflict (series_id, hour) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_value else h.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_metric_id else h.last_metric_id end,
    last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at); return null; end; \$\$;`);
    this.addSql(`create trigger "metric_hours_add" after insert on "data_quality_metrics" referencing new table as added for each statement execute function "data_quality_metrics_metric_hours_add_fn"();`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_change_fn"() returns trigger language plpgsql as \$\$ begin update data_quality_metric_hours h set count = h.count - r.count, sum = h.sum - r.sum
    from (select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum
          from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after) m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type and s.dataset_name is not distinct from m.dataset_name and s.dataset_namespace is not distinct from m.dataset_namespace and s.column_name is not distinct from m.column_name group by 1, 2) r
   where h.series_id = r.series_id and h.hour = r.hour;   delete from data_quality_metric_hours h using (select distinct s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type, date_bin('1 hour', x.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after) x join metric_series s on s.pipeline_name = x.pipeline_name and s.metric_type = x.metric_type and s.dataset_name is not distinct from x.dataset_name and s.dataset_namespace is not distinct from x.dataset_namespace and s.column_name is not distinct from x.column_name) t
   where h.series_id = t.series_id and h.hour = t.hour and h.count <= 0;   update data_quality_metric_hours h set min = a.min, max = a.max, last_recorded_at = a.last_recorded_at, last_metric_id = a.last_metric_id, last_value = a.last_value
    from (
    select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at, (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id, (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from data_quality_metrics m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type and s.dataset_name is not distinct from m.dataset_name and s.dataset_namespace is not distinct from m.dataset_namespace and s.column_name is not distinct from m.column_name join (select distinct s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type, date_bin('1 hour', x.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after) x join metric_series s on s.pipeline_name = x.pipeline_name and s.metric_type = x.metric_type and s.dataset_name is not distinct from x.dataset_name and s.dataset_namespace is not distinct from x.dataset_namespace and s.column_name is not distinct from x.column_name) t on t.series_id = s.series_id and m.recorded_at >= t.hour and m.recorded_at < t.hour + interval '1 hour'
    group by 1, 2) a
   where h.series_id = a.series_id and h.hour = a.hour;   update metric_series s set point_count = s.point_count - r.count
    from (select m.pipeline_name, m.dataset_namespace, m.dataset_name, m.column_name, m.metric_type, count(*) as count from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after) m group by 1, 2, 3, 4, 5) r
   where s.pipeline_name = r.pipeline_name and s.metric_type = r.metric_type and s.dataset_name is not distinct from r.dataset_name and s.dataset_namespace is not distinct from r.dataset_namespace and s.column_name is not distinct from r.column_name;   delete from metric_series s where s.point_count <= 0;   update metric_series s set last_recorded_at = l.last_recorded_at, last_metric_id = l.last_metric_id, last_value = l.last_value,
         first_recorded_at = (select min(m.recorded_at) from data_quality_metrics m
                               where m.pipeline_name = s.pipeline_name and m.metric_type = s.metric_type and m.dataset_name is not distinct from s.dataset_name and m.dataset_namespace is not distinct from s.dataset_namespace and m.column_name is not distinct from s.column_name and m.recorded_at >= f.hour and m.recorded_at < f.hour + interval '1 hour')
    from (select distinct series_id from (select distinct s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type, date_bin('1 hour', x.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after) x join metric_series s on s.pipeline_name = x.pipeline_name and s.metric_type = x.metric_type and s.dataset_name is not distinct from x.dataset_name and s.dataset_namespace is not distinct from x.dataset_namespace and s.column_name is not distinct from x.column_name) x) t
    cross join lateral (select h.last_recorded_at, h.last_metric_id, h.last_value from data_quality_metric_hours h where h.series_id = t.series_id order by h.hour desc limit 1) l
    cross join lateral (select h.hour from data_quality_metric_hours h where h.series_id = t.series_id order by h.hour limit 1) f
   where s.series_id = t.series_id;   insert into metric_series as t (pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, first_recorded_at, last_recorded_at, last_metric_id, last_value, point_count)
    select m.pipeline_name, m.dataset_namespace, m.dataset_name, m.column_name, m.metric_type, min(m.recorded_at), (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1], (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1], (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1], count(*)
    from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before) m group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  on conflict (pipeline_name, dataset_namespace, dataset_name, column_name, metric_type) do update set
    point_count = t.point_count + excluded.point_count,
    first_recorded_at = least(t.first_recorded_at, excluded.first_recorded_at),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (t.last_recorded_at, t.last_metric_id) then excluded.last_value else t.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (t.last_recorded_at, t.last_metric_id) then excluded.last_metric_id else t.last_metric_id end,
    last_recorded_at = greatest(t.last_recorded_at, excluded.last_recorded_at);   insert into data_quality_metric_hours as h (series_id, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at, (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id, (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from (select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from after except all select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, recorded_at, metric_value, metric_id from before) m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type and s.dataset_name is not distinct from m.dataset_name and s.dataset_namespace is not distinct from m.dataset_namespace and s.column_name is not distinct from m.column_name 
    group by 1, 2
    order by 1, 2
  on conflict (series_id, hour) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_value else h.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_metric_id else h.last_metric_id end,
    last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at); return null; end; \$\$;`);
    this.addSql(`create trigger "metric_hours_change" after update on "data_quality_metrics" referencing old table as before new table as after for each statement execute function "data_quality_metrics_metric_hours_change_fn"();`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_remove_fn"() returns trigger language plpgsql as \$\$ begin update data_quality_metric_hours h set count = h.count - r.count, sum = h.sum - r.sum
    from (select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum
          from removed m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type and s.dataset_name is not distinct from m.dataset_name and s.dataset_namespace is not distinct from m.dataset_namespace and s.column_name is not distinct from m.column_name group by 1, 2) r
   where h.series_id = r.series_id and h.hour = r.hour;   delete from data_quality_metric_hours h using (select distinct s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type, date_bin('1 hour', x.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from removed x join metric_series s on s.pipeline_name = x.pipeline_name and s.metric_type = x.metric_type and s.dataset_name is not distinct from x.dataset_name and s.dataset_namespace is not distinct from x.dataset_namespace and s.column_name is not distinct from x.column_name) t
   where h.series_id = t.series_id and h.hour = t.hour and h.count <= 0;   update data_quality_metric_hours h set min = a.min, max = a.max, last_recorded_at = a.last_recorded_at, last_metric_id = a.last_metric_id, last_value = a.last_value
    from (
    select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at, (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id, (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from data_quality_metrics m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type and s.dataset_name is not distinct from m.dataset_name and s.dataset_namespace is not distinct from m.dataset_namespace and s.column_name is not distinct from m.column_name join (select distinct s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type, date_bin('1 hour', x.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from removed x join metric_series s on s.pipeline_name = x.pipeline_name and s.metric_type = x.metric_type and s.dataset_name is not distinct from x.dataset_name and s.dataset_namespace is not distinct from x.dataset_namespace and s.column_name is not distinct from x.column_name) t on t.series_id = s.series_id and m.recorded_at >= t.hour and m.recorded_at < t.hour + interval '1 hour'
    group by 1, 2) a
   where h.series_id = a.series_id and h.hour = a.hour;   update metric_series s set point_count = s.point_count - r.count
    from (select m.pipeline_name, m.dataset_namespace, m.dataset_name, m.column_name, m.metric_type, count(*) as count from removed m group by 1, 2, 3, 4, 5) r
   where s.pipeline_name = r.pipeline_name and s.metric_type = r.metric_type and s.dataset_name is not distinct from r.dataset_name and s.dataset_namespace is not distinct from r.dataset_namespace and s.column_name is not distinct from r.column_name;   delete from metric_series s where s.point_count <= 0;   update metric_series s set last_recorded_at = l.last_recorded_at, last_metric_id = l.last_metric_id, last_value = l.last_value,
         first_recorded_at = (select min(m.recorded_at) from data_quality_metrics m
                               where m.pipeline_name = s.pipeline_name and m.metric_type = s.metric_type and m.dataset_name is not distinct from s.dataset_name and m.dataset_namespace is not distinct from s.dataset_namespace and m.column_name is not distinct from s.column_name and m.recorded_at >= f.hour and m.recorded_at < f.hour + interval '1 hour')
    from (select distinct series_id from (select distinct s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type, date_bin('1 hour', x.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from removed x join metric_series s on s.pipeline_name = x.pipeline_name and s.metric_type = x.metric_type and s.dataset_name is not distinct from x.dataset_name and s.dataset_namespace is not distinct from x.dataset_namespace and s.column_name is not distinct from x.column_name) x) t
    cross join lateral (select h.last_recorded_at, h.last_metric_id, h.last_value from data_quality_metric_hours h where h.series_id = t.series_id order by h.hour desc limit 1) l
    cross join lateral (select h.hour from data_quality_metric_hours h where h.series_id = t.series_id order by h.hour limit 1) f
   where s.series_id = t.series_id; return null; end; \$\$;`);
    this.addSql(`create trigger "metric_hours_remove" after delete on "data_quality_metrics" referencing old table as removed for each statement execute function "data_quality_metrics_metric_hours_remove_fn"();`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_clear_fn"() returns trigger language plpgsql as \$\$ begin truncate data_quality_metric_hours, metric_series; return null; end; \$\$;`);
    // The metrics recorded so far name no dataset: one series per pipeline and type, and its hours.
    this.addSql(`insert into metric_series (pipeline_name, metric_type, first_recorded_at, last_recorded_at, last_metric_id, last_value, point_count)
    select m.pipeline_name, m.metric_type, min(m.recorded_at),
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1], count(*)
    from data_quality_metrics m
    group by 1, 2;`);
    this.addSql(`insert into data_quality_metric_hours (series_id, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select s.series_id, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00'), count(*), sum(m.metric_value), min(m.metric_value), max(m.metric_value),
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1]
    from data_quality_metrics m join metric_series s on s.pipeline_name = m.pipeline_name and s.metric_type = m.metric_type
    group by 1, 2;`);
  }

  override down(): void | Promise<void> {
    // Lossy, as any down of an added column: the dataset and column of each metric are dropped, and its
    // series fold back into one per pipeline and type.
    this.addSql(`drop table "data_quality_metric_hours";`);
    this.addSql(`drop table "metric_series";`);
    this.addSql(`create table "data_quality_metric_hours" ("pipeline_name" text not null, "metric_type" text not null, "hour" timestamptz not null, "count" bigint not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, "last_recorded_at" timestamptz not null, "last_metric_id" uuid not null, "last_value" double precision not null, primary key ("pipeline_name", "metric_type", "hour"));`);

    this.addSql(`alter table "data_quality_metrics" drop constraint "data_quality_metrics_column_needs_dataset";`);
    this.addSql(`alter table "data_quality_metrics" drop constraint "data_quality_metrics_dataset_whole";`);
    this.addSql(`drop trigger if exists "metric_hours_change" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_change_fn"();`);
    this.addSql(`drop trigger if exists "metric_hours_remove" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_remove_fn"();`);
    this.addSql(`drop trigger if exists "metric_hours_add" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_add_fn"();`);
    this.addSql(`alter table "data_quality_metrics" drop column "dataset_namespace", drop column "dataset_name", drop column "column_name";`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_change_fn"() returns trigger language plpgsql as \$\$ begin update data_quality_metric_hours h set count = h.count - r.count, sum = h.sum - r.sum
    from (select pipeline_name, metric_type, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(metric_value) as sum
          from (select pipeline_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, metric_type, recorded_at, metric_value, metric_id from after) s group by 1, 2, 3) r
   where h.pipeline_name = r.pipeline_name and h.metric_type = r.metric_type and h.hour = r.hour;   delete from data_quality_metric_hours h using (select distinct pipeline_name, metric_type, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from (select pipeline_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, metric_type, recorded_at, metric_value, metric_id from after) s) t
   where h.pipeline_name = t.pipeline_name and h.metric_type = t.metric_type and h.hour = t.hour and h.count <= 0;   update data_quality_metric_hours h set min = a.min, max = a.max, last_recorded_at = a.last_recorded_at, last_metric_id = a.last_metric_id, last_value = a.last_value
    from (
    select m.pipeline_name, m.metric_type, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at,
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id,
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from data_quality_metrics m join (select distinct pipeline_name, metric_type, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from (select pipeline_name, metric_type, recorded_at, metric_value, metric_id from before except all select pipeline_name, metric_type, recorded_at, metric_value, metric_id from after) s) t on m.pipeline_name = t.pipeline_name and m.metric_type = t.metric_type and m.recorded_at >= t.hour and m.recorded_at < t.hour + interval '1 hour'
    group by 1, 2, 3) a
   where h.pipeline_name = a.pipeline_name and h.metric_type = a.metric_type and h.hour = a.hour;   insert into data_quality_metric_hours as h (pipeline_name, metric_type, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select m.pipeline_name, m.metric_type, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at,
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id,
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from (select pipeline_name, metric_type, recorded_at, metric_value, metric_id from after except all select pipeline_name, metric_type, recorded_at, metric_value, metric_id from before) m 
    group by 1, 2, 3
    order by 1, 2, 3
  on conflict (pipeline_name, metric_type, hour) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_value else h.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_metric_id else h.last_metric_id end,
    last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at); return null; end; \$\$;`);
    this.addSql(`create trigger "metric_hours_change" after update on "data_quality_metrics" referencing old table as before new table as after for each statement execute function "data_quality_metrics_metric_hours_change_fn"();`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_remove_fn"() returns trigger language plpgsql as \$\$ begin update data_quality_metric_hours h set count = h.count - r.count, sum = h.sum - r.sum
    from (select pipeline_name, metric_type, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(metric_value) as sum
          from removed s group by 1, 2, 3) r
   where h.pipeline_name = r.pipeline_name and h.metric_type = r.metric_type and h.hour = r.hour;   delete from data_quality_metric_hours h using (select distinct pipeline_name, metric_type, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from removed s) t
   where h.pipeline_name = t.pipeline_name and h.metric_type = t.metric_type and h.hour = t.hour and h.count <= 0;   update data_quality_metric_hours h set min = a.min, max = a.max, last_recorded_at = a.last_recorded_at, last_metric_id = a.last_metric_id, last_value = a.last_value
    from (
    select m.pipeline_name, m.metric_type, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at,
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id,
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from data_quality_metrics m join (select distinct pipeline_name, metric_type, date_bin('1 hour', recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour from removed s) t on m.pipeline_name = t.pipeline_name and m.metric_type = t.metric_type and m.recorded_at >= t.hour and m.recorded_at < t.hour + interval '1 hour'
    group by 1, 2, 3) a
   where h.pipeline_name = a.pipeline_name and h.metric_type = a.metric_type and h.hour = a.hour; return null; end; \$\$;`);
    this.addSql(`create trigger "metric_hours_remove" after delete on "data_quality_metrics" referencing old table as removed for each statement execute function "data_quality_metrics_metric_hours_remove_fn"();`);
    this.addSql(`create or replace function "data_quality_metrics_metric_hours_add_fn"() returns trigger language plpgsql as \$\$ begin insert into data_quality_metric_hours as h (pipeline_name, metric_type, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select m.pipeline_name, m.metric_type, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at,
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id,
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from added m 
    group by 1, 2, 3
    order by 1, 2, 3
  on conflict (pipeline_name, metric_type, hour) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_value else h.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_metric_id else h.last_metric_id end,
    last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at); return null; end; \$\$;`);
    this.addSql(`create trigger "metric_hours_add" after insert on "data_quality_metrics" referencing new table as added for each statement execute function "data_quality_metrics_metric_hours_add_fn"();`);

    this.addSql(`create or replace function "data_quality_metrics_metric_hours_clear_fn"() returns trigger language plpgsql as \$\$ begin truncate data_quality_metric_hours; return null; end; \$\$;`);
    this.addSql(`insert into data_quality_metric_hours (pipeline_name, metric_type, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select m.pipeline_name, m.metric_type, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*), sum(m.metric_value), min(m.metric_value), max(m.metric_value),
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1]
    from data_quality_metrics m
    group by 1, 2, 3;`);

    this.addSql(`alter table "incidents" drop constraint "incidents_column_needs_dataset";`);
    this.addSql(`alter table "incidents" drop constraint "incidents_dataset_whole";`);
    this.addSql(`alter table "incidents" drop column "dataset_namespace", drop column "dataset_name", drop column "column_name";`);
  }

}

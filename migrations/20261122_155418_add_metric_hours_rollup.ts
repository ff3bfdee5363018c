import { Migration } from '@mikro-orm/migrations';

// The hourly rollup of data_quality_metrics that hourly and daily series read (src/quality/metric-hours.sql.ts),
// its triggers, and the rollup of the metrics already recorded. One transaction, so that no metric is counted
// twice or missed: CREATE TRIGGER holds a SHARE ROW EXCLUSIVE lock on data_quality_metrics until the commit,
// which makes metric writes wait while the existing metrics are summed up (7.7 s for 5 million metrics on
// the benchmark machine; reads are not blocked). On a large table, apply it in a quiet moment.
// The TRUNCATE trigger is written here only: MikroORM reads triggers from information_schema.triggers, which
// does not list TRUNCATE ones, so the entity cannot declare it (see data-quality-metric.entity.ts).

export class Migration20261122155418_add_metric_hours_rollup extends Migration {

  override name = 'Migration20261122155418_add_metric_hours_rollup';

  override up(): void | Promise<void> {
    this.addSql(`create table "data_quality_metric_hours" ("pipeline_name" text not null, "metric_type" text not null, "hour" timestamptz not null, "count" bigint not null, "sum" double precision not null, "min" double precision not null, "max" double precision not null, "last_recorded_at" timestamptz not null, "last_metric_id" uuid not null, "last_value" double precision not null, primary key ("pipeline_name", "metric_type", "hour"));`);

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
    this.addSql(`create trigger "metric_hours_clear" after truncate on "data_quality_metrics" for each statement execute function "data_quality_metrics_metric_hours_clear_fn"();`);
    this.addSql(`insert into data_quality_metric_hours (pipeline_name, metric_type, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value)
    select m.pipeline_name, m.metric_type, date_bin('1 hour', m.recorded_at, timestamptz '1970-01-01 00:00:00+00') as hour, count(*), sum(m.metric_value), min(m.metric_value), max(m.metric_value),
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1]
    from data_quality_metrics m
    group by 1, 2, 3;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "metric_hours_clear" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_clear_fn"();`);
    this.addSql(`drop table if exists "data_quality_metric_hours" cascade;`);

    this.addSql(`drop trigger if exists "metric_hours_change" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_change_fn"();`);
    this.addSql(`drop trigger if exists "metric_hours_remove" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_remove_fn"();`);
    this.addSql(`drop trigger if exists "metric_hours_add" on "data_quality_metrics";`);
    this.addSql(`drop function if exists "data_quality_metrics_metric_hours_add_fn"();`);
  }

}

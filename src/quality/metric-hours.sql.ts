// The series catalog (metric_series) and the hourly rollup (data_quality_metric_hours) of
// data_quality_metrics, kept by statement-level triggers on that table: whatever writes metrics (the API,
// OpenLineage, a replay, SQL by hand), both follow in the same statement. These texts are the entity's
// declaration (data-quality-metric.entity.ts); the migrations that created them hold their own copies, as
// migrations never change.
//
// A series is one (pipeline, dataset namespace, dataset name, column, metric type); the dataset fields are
// null for a pipeline's own series, so series are matched null-safely. The catalog keeps each series' first
// and newest point and its number of points; the rollup keeps, per series and hour, count, sum, min, max
// and the newest value.
//
// Counts and sums move by deltas: rows added are added, rows removed are subtracted. Deltas compose in
// any order, so concurrent writers and a statement that both updates and inserts (INSERT … ON CONFLICT
// DO UPDATE) stay exact. min, max, first and newest cannot be subtracted: an hour or a series that lost
// metrics has them recomputed from what is left, after its row is locked, so that the writers it waited
// for count.

/** The origin of hour and bucket boundaries: the Unix epoch, in UTC whatever the session's time zone. */
export const EPOCH = `timestamptz '1970-01-01 00:00:00+00'`;
/** The hour a metric falls in, as the rollup and the series buckets count hours. */
export const HOUR_OF = (column: string) => `date_bin('1 hour', ${column}, ${EPOCH})`;

/** What identifies a series, in metric_series' unique index order. */
export const SERIES_IDENTITY = 'pipeline_name, dataset_namespace, dataset_name, column_name, metric_type';
/** `a` and `b` name the same series (null-safe on the dataset fields; plain equality first, for the indexes). */
export const SAME_SERIES = (a: string, b: string) =>
  `${a}.pipeline_name = ${b}.pipeline_name and ${a}.metric_type = ${b}.metric_type and ${a}.dataset_name is not distinct from ${b}.dataset_name ` +
  `and ${a}.dataset_namespace is not distinct from ${b}.dataset_namespace and ${a}.column_name is not distinct from ${b}.column_name`;

const newest = (value: string, m = 'm') => `(array_agg(${m}.${value} order by ${m}.recorded_at desc, ${m}.metric_id desc))[1]`;
const IDENTITY_OF = (m: string) => SERIES_IDENTITY.split(', ').map((c) => `${m}.${c}`).join(', ');
/** The newest of the existing row `t` and the incoming `excluded`, by (recorded_at, metric_id). */
const NEWER = (t: string) => `(excluded.last_recorded_at, excluded.last_metric_id) > (${t}.last_recorded_at, ${t}.last_metric_id)`;
const KEEP_NEWEST = (t: string) => `
    last_value = case when ${NEWER(t)} then excluded.last_value else ${t}.last_value end,
    last_metric_id = case when ${NEWER(t)} then excluded.last_metric_id else ${t}.last_metric_id end,
    last_recorded_at = greatest(${t}.last_recorded_at, excluded.last_recorded_at)`;

const HOUR_COLUMNS = 'series_id, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value';
/** count, sum, min, max and the newest value of `source`'s metrics (alias m, joined to its series as s), per series and hour. */
const hourAggregate = (source: string, join = '') => `
    select s.series_id, ${HOUR_OF('m.recorded_at')} as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           ${newest('recorded_at')} as last_recorded_at, ${newest('metric_id')} as last_metric_id, ${newest('metric_value')} as last_value
    from ${source} m join metric_series s on ${SAME_SERIES('s', 'm')} ${join}
    group by 1, 2`;

/** The (series, hour) pairs `source`'s metrics fall in, with the series' identity. */
const touchedHours = (source: string) =>
  `select distinct s.series_id, ${IDENTITY_OF('s')}, ${HOUR_OF('x.recorded_at')} as hour from ${source} x join metric_series s on ${SAME_SERIES('s', 'x')}`;

/**
 * `source`'s metrics added: their series first (created when new), then their hours, each one upsert in key
 * order, so that concurrent single-statement batches lock shared rows in the same order and do not deadlock.
 * (A transaction with several metric statements, such as `lineage replay`, holds its rows until it commits;
 * of a deadlock, PostgreSQL aborts one side, which the API answers with a retryable 503.)
 */
const ADD = (source: string) => `
  insert into metric_series as t (${SERIES_IDENTITY}, first_recorded_at, last_recorded_at, last_metric_id, last_value, point_count)
    select ${IDENTITY_OF('m')}, min(m.recorded_at), ${newest('recorded_at')}, ${newest('metric_id')}, ${newest('metric_value')}, count(*)
    from ${source} m group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  on conflict (${SERIES_IDENTITY}) do update set
    point_count = t.point_count + excluded.point_count,
    first_recorded_at = least(t.first_recorded_at, excluded.first_recorded_at),${KEEP_NEWEST('t')};
  insert into data_quality_metric_hours as h (${HOUR_COLUMNS})
  ${hourAggregate(source)}
    order by 1, 2
  on conflict (series_id, hour) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),${KEEP_NEWEST('h')};`;

/**
 * `source`'s metrics taken out: hours by delta (which locks them), hours left empty deleted, min, max and
 * the newest value of the others recomputed from the metrics in a later statement that sees whatever the
 * writers it waited for committed; then the series likewise, their first and newest points taken from their
 * first and last hours, and series left without points deleted.
 */
const SUBTRACT = (source: string) => `
  update data_quality_metric_hours h set count = h.count - r.count, sum = h.sum - r.sum
    from (select s.series_id, ${HOUR_OF('m.recorded_at')} as hour, count(*) as count, sum(m.metric_value) as sum
          from ${source} m join metric_series s on ${SAME_SERIES('s', 'm')} group by 1, 2) r
   where h.series_id = r.series_id and h.hour = r.hour;
  delete from data_quality_metric_hours h using (${touchedHours(source)}) t
   where h.series_id = t.series_id and h.hour = t.hour and h.count <= 0;
  update data_quality_metric_hours h set min = a.min, max = a.max, last_recorded_at = a.last_recorded_at, last_metric_id = a.last_metric_id, last_value = a.last_value
    from (${hourAggregate('data_quality_metrics', `join (${touchedHours(source)}) t on t.series_id = s.series_id and m.recorded_at >= t.hour and m.recorded_at < t.hour + interval '1 hour'`)}) a
   where h.series_id = a.series_id and h.hour = a.hour;
  update metric_series s set point_count = s.point_count - r.count
    from (select ${IDENTITY_OF('m')}, count(*) as count from ${source} m group by 1, 2, 3, 4, 5) r
   where ${SAME_SERIES('s', 'r')};
  delete from metric_series s where s.point_count <= 0;
  update metric_series s set last_recorded_at = l.last_recorded_at, last_metric_id = l.last_metric_id, last_value = l.last_value,
         first_recorded_at = (select min(m.recorded_at) from data_quality_metrics m
                               where ${SAME_SERIES('m', 's')} and m.recorded_at >= f.hour and m.recorded_at < f.hour + interval '1 hour')
    from (select distinct series_id from (${touchedHours(source)}) x) t
    cross join lateral (select h.last_recorded_at, h.last_metric_id, h.last_value from data_quality_metric_hours h where h.series_id = t.series_id order by h.hour desc limit 1) l
    cross join lateral (select h.hour from data_quality_metric_hours h where h.series_id = t.series_id order by h.hour limit 1) f
   where s.series_id = t.series_id;`;

// What an update changed of what the catalog and rollup keep: rows in one transition table and not in the
// other, id included (an update of metadata alone changes nothing here). The old ones are subtracted, then
// the new ones added: the recomputes already see the new rows, and adding them again to min, max, first and
// newest changes nothing.
const KEPT = `${SERIES_IDENTITY}, recorded_at, metric_value, metric_id`;
const OLD_ROWS = `(select ${KEPT} from before except all select ${KEPT} from after)`;
const NEW_ROWS = `(select ${KEPT} from after except all select ${KEPT} from before)`;

/** A trigger and its function, named as MikroORM names a trigger's function (table_trigger_fn). */
function trigger(name: string, event: string, transition: string, body: string): { name: string; expression: string } {
  const fn = `data_quality_metrics_${name}_fn`;
  return {
    name,
    expression:
      `create or replace function "${fn}"() returns trigger language plpgsql as $$ begin ${body.trim()} return null; end; $$;\n` +
      `create trigger "${name}" after ${event} on "data_quality_metrics" ${transition} for each statement execute function "${fn}"();`,
  };
}

export const METRIC_HOURS_TRIGGERS = {
  add: trigger('metric_hours_add', 'insert', 'referencing new table as added', ADD('added')),
  remove: trigger('metric_hours_remove', 'delete', 'referencing old table as removed', SUBTRACT('removed')),
  change: trigger('metric_hours_change', 'update', 'referencing old table as before new table as after', SUBTRACT(OLD_ROWS) + ADD(NEW_ROWS)),
};


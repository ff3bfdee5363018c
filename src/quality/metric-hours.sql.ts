// The hourly rollup of data_quality_metrics, kept by statement-level triggers on that table: whatever
// writes metrics (the API, OpenLineage, a replay, SQL by hand), the rollup follows in the same statement.
// These texts are the entity's declaration (data-quality-metric.entity.ts); the migration that created
// them holds its own copy, as migrations never change.

const EPOCH = `timestamptz '1970-01-01 00:00:00+00'`;
/** The hour a metric falls in, as the rollup and the series buckets count hours. */
export const HOUR_OF = (column: string) => `date_bin('1 hour', ${column}, ${EPOCH})`;

const ROLLUP_COLUMNS = 'pipeline_name, metric_type, hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value';

/** count, sum, min, max and the newest value of `source`'s metrics, per pipeline, type and hour. */
const aggregate = (source: string, where = '') => `
    select m.pipeline_name, m.metric_type, ${HOUR_OF('m.recorded_at')} as hour, count(*), sum(m.metric_value), min(m.metric_value), max(m.metric_value),
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1],
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1]
    from ${source} m ${where}
    group by 1, 2, 3`;

/**
 * Inserted metrics are added to their hours: one upsert per statement, in key order (so that concurrent
 * batches lock shared hours in the same order and cannot deadlock).
 */
const ADD = `
  insert into data_quality_metric_hours as h (${ROLLUP_COLUMNS})
  ${aggregate('added')}
    order by 1, 2, 3
  on conflict (pipeline_name, metric_type, hour) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_value else h.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_metric_id else h.last_metric_id end,
    last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at);`;

/** The hours in `touched` (pipeline_name, metric_type, hour) are counted again from the metrics left. */
const RECOUNT = (touched: string) => `
  delete from data_quality_metric_hours h using (${touched}) t
   where h.pipeline_name = t.pipeline_name and h.metric_type = t.metric_type and h.hour = t.hour;
  insert into data_quality_metric_hours (${ROLLUP_COLUMNS})
  ${aggregate(
    'data_quality_metrics',
    `join (${touched}) t on m.pipeline_name = t.pipeline_name and m.metric_type = t.metric_type
          and m.recorded_at >= t.hour and m.recorded_at < t.hour + interval '1 hour'`,
  )}
    order by 1, 2, 3;`;

const hoursOf = (table: string) => `select distinct pipeline_name, metric_type, ${HOUR_OF('recorded_at')} as hour from ${table}`;

// Updated rows count only when they moved between hours or changed value.
const CHANGED = `
  select o.pipeline_name, o.metric_type, o.recorded_at from before o join after n using (metric_id)
   where (o.pipeline_name, o.metric_type, o.recorded_at, o.metric_value) is distinct from (n.pipeline_name, n.metric_type, n.recorded_at, n.metric_value)
  union all
  select n.pipeline_name, n.metric_type, n.recorded_at from before o join after n using (metric_id)
   where (o.pipeline_name, o.metric_type, o.recorded_at, o.metric_value) is distinct from (n.pipeline_name, n.metric_type, n.recorded_at, n.metric_value)`;

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
  add: trigger('metric_hours_add', 'insert', 'referencing new table as added', ADD),
  remove: trigger('metric_hours_remove', 'delete', 'referencing old table as removed', RECOUNT(hoursOf('removed'))),
  change: trigger('metric_hours_change', 'update', 'referencing old table as before new table as after', RECOUNT(hoursOf(`(${CHANGED}) c`))),
};

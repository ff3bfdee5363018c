// The hourly rollup of data_quality_metrics, kept by statement-level triggers on that table: whatever
// writes metrics (the API, OpenLineage, a replay, SQL by hand), the rollup follows in the same statement.
// These texts are the entity's declaration (data-quality-metric.entity.ts); the migration that created
// them holds its own copy, as migrations never change.
//
// Counts and sums move by deltas: rows added are added, rows removed are subtracted. Deltas compose in
// any order, so concurrent writers and a statement that both updates and inserts (INSERT … ON CONFLICT
// DO UPDATE) stay exact. min, max and the newest value cannot be subtracted: an hour that lost metrics has
// them recomputed from the metrics left, after its row is locked, so that the writers it waited for count.

/** The origin of hour and bucket boundaries: the Unix epoch, in UTC whatever the session's time zone. */
export const EPOCH = `timestamptz '1970-01-01 00:00:00+00'`;
/** The hour a metric falls in, as the rollup and the series buckets count hours. */
export const HOUR_OF = (column: string) => `date_bin('1 hour', ${column}, ${EPOCH})`;

const KEY = 'pipeline_name, metric_type, hour';
const ROLLUP_COLUMNS = `${KEY}, count, sum, min, max, last_recorded_at, last_metric_id, last_value`;
const SAME_KEY = (a: string, b: string) => `${a}.pipeline_name = ${b}.pipeline_name and ${a}.metric_type = ${b}.metric_type and ${a}.hour = ${b}.hour`;
const IN_HOUR = (m: string, t: string) =>
  `${m}.pipeline_name = ${t}.pipeline_name and ${m}.metric_type = ${t}.metric_type and ${m}.recorded_at >= ${t}.hour and ${m}.recorded_at < ${t}.hour + interval '1 hour'`;

/** count, sum, min, max and the newest value of `source`'s metrics, per pipeline, type and hour, as the rollup names them. */
const aggregate = (source: string, join = '') => `
    select m.pipeline_name, m.metric_type, ${HOUR_OF('m.recorded_at')} as hour, count(*) as count, sum(m.metric_value) as sum,
           min(m.metric_value) as min, max(m.metric_value) as max,
           (array_agg(m.recorded_at order by m.recorded_at desc, m.metric_id desc))[1] as last_recorded_at,
           (array_agg(m.metric_id order by m.recorded_at desc, m.metric_id desc))[1] as last_metric_id,
           (array_agg(m.metric_value order by m.recorded_at desc, m.metric_id desc))[1] as last_value
    from ${source} m ${join}
    group by 1, 2, 3`;

/** The hours `source`'s metrics fall in. */
const touched = (source: string) => `select distinct pipeline_name, metric_type, ${HOUR_OF('recorded_at')} as hour from ${source} s`;

/**
 * `source`'s metrics added to their hours: one upsert, in key order, so that concurrent single-statement
 * batches lock shared hours in the same order and do not deadlock. (A transaction with several metric
 * statements, such as `lineage replay`, holds its hours until it commits; of a deadlock, PostgreSQL aborts
 * one side, which the API answers with a retryable 503.)
 */
const ADD = (source: string) => `
  insert into data_quality_metric_hours as h (${ROLLUP_COLUMNS})
  ${aggregate(source)}
    order by 1, 2, 3
  on conflict (${KEY}) do update set
    count = h.count + excluded.count,
    sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min),
    max = greatest(h.max, excluded.max),
    last_value = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_value else h.last_value end,
    last_metric_id = case when (excluded.last_recorded_at, excluded.last_metric_id) > (h.last_recorded_at, h.last_metric_id) then excluded.last_metric_id else h.last_metric_id end,
    last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at);`;

/**
 * `source`'s metrics taken out of their hours: count and sum by delta (which locks the rows), hours left
 * empty deleted, and min, max and the newest value of the others recomputed from the metrics, in a later
 * statement that sees whatever the writers it waited for committed.
 */
const SUBTRACT = (source: string) => `
  update data_quality_metric_hours h set count = h.count - r.count, sum = h.sum - r.sum
    from (select pipeline_name, metric_type, ${HOUR_OF('recorded_at')} as hour, count(*) as count, sum(metric_value) as sum
          from ${source} s group by 1, 2, 3) r
   where ${SAME_KEY('h', 'r')};
  delete from data_quality_metric_hours h using (${touched(source)}) t
   where ${SAME_KEY('h', 't')} and h.count <= 0;
  update data_quality_metric_hours h set min = a.min, max = a.max, last_recorded_at = a.last_recorded_at, last_metric_id = a.last_metric_id, last_value = a.last_value
    from (${aggregate('data_quality_metrics', `join (${touched(source)}) t on ${IN_HOUR('m', 't')}`)}) a
   where ${SAME_KEY('h', 'a')};`;

// What an update changed of what the rollup keeps: rows in one transition table and not in the other, id
// included (an update of metadata alone changes nothing here). The old ones are subtracted, then the new
// ones added: the recompute of the old hours already sees the new rows, and adding them again to min, max
// and the newest value changes nothing.
const KEPT = 'pipeline_name, metric_type, recorded_at, metric_value, metric_id';
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

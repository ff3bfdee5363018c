import { sql, type RawBuilder } from 'kysely';
import { prepared, rawStatement } from '../../database/typed-sql.js';
import type { DataMonitorKind, Severity } from '../../incidents/incident-signal.js';
import { notArchived } from './archived.sql.js';

/**
 * The set-based statements of the data monitors (metric_threshold, test_failed, metric_anomaly;
 * docs/monitors-evaluation.md#data-monitors). A series is a metric_series row; a data monitor watches every
 * series its target matches with its metric type, each separately.
 */

export interface DataCandidateRow {
  monitor_id: string;
  kind: DataMonitorKind;
  severity: Severity;
  resolve_after: number;
  params: Record<string, unknown>;
  series_id: string;
  pipeline_name: string;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  metric_type: string;
  last_recorded_at: string;
  last_metric_id: string;
  last_value: number;
  /** The point judged before (null: first sight). */
  judged_recorded_at: string | null;
  judged_metric_id: string | null;
  baseline_from: string | null;
  excluded_metric_ids: string[] | null;
}

/**
 * Every (enabled data monitor, series of its target) whose newest point moved since the monitor last judged
 * it (or was never judged): the only pairs a tick judges. The series' pipeline must not be archived.
 * monitors by the enabled-kind index; metric_series by its identity (a pipeline) or dataset index; the state
 * by its primary key.
 */
export const DATA_CANDIDATES = prepared(() =>
  rawStatement(sql<DataCandidateRow>`
    select m.id as monitor_id, m.kind, m.severity, m.resolve_after, m.params,
           s.series_id, s.pipeline_name, s.dataset_namespace, s.dataset_name, s.column_name, s.metric_type,
           s.last_recorded_at, s.last_metric_id, s.last_value,
           st.judged_recorded_at, st.judged_metric_id, st.baseline_from, st.excluded_metric_ids
    from monitors m
    join metric_series s
      on s.metric_type = case when m.kind = 'test_failed' then 'assertion' else m.params->>'metric_type' end
     and (m.pipeline_name is null or s.pipeline_name = m.pipeline_name)
     and (m.dataset_name is null or (s.dataset_namespace = m.dataset_namespace and s.dataset_name = m.dataset_name))
     and (m.column_name is null or s.column_name = m.column_name)
    left join monitor_series_state st on st.monitor_id = m.id and st.series_id = s.series_id
    where m.enabled and m.kind in ('metric_threshold', 'test_failed', 'metric_anomaly')
      and (st.monitor_id is null or s.last_metric_id is distinct from st.judged_metric_id)
      and ${notArchived(sql`s.pipeline_name`)}`),
);

/**
 * The metrics of series `s` (an alias with the metric_series columns) that satisfy `where` (over alias m),
 * newest first, at most `limit` (null: all). One branch per kind of series, each a plain equality on one
 * index (a pipeline-level series on the pipeline series index, a dataset or column series on the dataset
 * series index); only the branch of the series' kind runs (its guard is a one-time filter).
 */
function seriesMetrics(where: RawBuilder<unknown>, columns: RawBuilder<unknown>, limit: number | null): RawBuilder<unknown> {
  const tail = limit === null ? sql`` : sql`order by m.recorded_at desc, m.metric_id desc limit ${sql.lit(limit)}`;
  const branch = (guard: RawBuilder<unknown>, same: RawBuilder<unknown>) =>
    sql`(select ${columns} from data_quality_metrics m where ${guard} and ${same} and m.metric_type = s.metric_type and ${where} ${tail})`;
  return sql`${branch(sql`s.dataset_name is null`, sql`m.pipeline_name = s.pipeline_name and m.dataset_name is null`)}
    union all ${branch(
      sql`s.dataset_name is not null and s.column_name is null`,
      sql`m.dataset_namespace = s.dataset_namespace and m.dataset_name = s.dataset_name and m.column_name is null and m.pipeline_name = s.pipeline_name`,
    )}
    union all ${branch(
      sql`s.column_name is not null`,
      sql`m.dataset_namespace = s.dataset_namespace and m.dataset_name = s.dataset_name and m.column_name = s.column_name and m.pipeline_name = s.pipeline_name`,
    )}`;
}

const BEFORE_NEWEST = sql`(m.recorded_at, m.metric_id) < (s.last_recorded_at, s.last_metric_id)`;

export interface PreviousPointRow {
  series_id: string;
  previous_value: number | null;
  previous_recorded_at: string | null;
}

/** The point before the newest of each series (metric_threshold's max_change_pct): a primary key and one index probe each. */
export const PREVIOUS_POINTS = prepared((_db, p: { seriesIds: string[] }) =>
  rawStatement(sql<PreviousPointRow>`
    select s.series_id, prev.metric_value as previous_value, prev.recorded_at as previous_recorded_at
    from unnest(${p.seriesIds}::uuid[]) as ids(series_id)
    join metric_series s on s.series_id = ids.series_id
    left join lateral (
      select x.metric_value, x.recorded_at from (${seriesMetrics(BEFORE_NEWEST, sql`m.metric_value, m.recorded_at, m.metric_id`, 1)}) x
      order by x.recorded_at desc, x.metric_id desc limit 1
    ) prev on true`),
);

export interface TrainingRow {
  series_id: string;
  monitor_id: string;
  values: number[] | null;
  recorded_ats: string[] | null;
}

/**
 * The training points of each (monitor, series) to judge: the series' points before its newest, from
 * `greatest(newest − training, baseline_from)`, without the points judged anomalous before
 * (excluded_metric_ids). One index range scan per pair; arrays in time order.
 */
export const TRAINING_POINTS = prepared((_db, p: { pairs: string }) =>
  rawStatement(sql<TrainingRow>`
    with pair as (
      select * from jsonb_to_recordset(${p.pairs}::jsonb) as x(monitor_id uuid, series_id uuid, training interval, baseline_from timestamptz, excluded uuid[])
    )
    select pair.monitor_id, s.series_id, t.values, t.recorded_ats
    from pair join metric_series s on s.series_id = pair.series_id
    cross join lateral (
      select array_agg(x.metric_value order by x.recorded_at) as values, array_agg(x.recorded_at order by x.recorded_at) as recorded_ats
      from (${seriesMetrics(
        sql`${BEFORE_NEWEST} and m.recorded_at >= greatest(s.last_recorded_at - pair.training, coalesce(pair.baseline_from, '-infinity'::timestamptz))
            and not (m.metric_id = any(coalesce(pair.excluded, '{}'::uuid[])))`,
        sql`m.metric_value, m.recorded_at`,
        null,
      )}) x
    ) t`),
);

export interface TestResultRow {
  series_id: string;
  monitor_id: string;
  test: string;
  success: boolean;
  failing_rows: number | null;
  recorded_at: string;
  metric_id: string;
  details: Record<string, unknown>;
}

/**
 * The latest result of each test (assertion name) of each (monitor, series) among the points newer than the
 * one judged last (all of them at first sight). The name is `metadata.assertion.name` when an OpenLineage
 * producer gave one, else `metadata.assertion.assertion` (REST stores its name there); value 1 is a pass, 0 a failure.
 */
export const TEST_RESULTS = prepared((_db, p: { pairs: string }) =>
  rawStatement(sql<TestResultRow>`
    with pair as (
      select * from jsonb_to_recordset(${p.pairs}::jsonb) as x(monitor_id uuid, series_id uuid, after_at timestamptz, after_id uuid)
    )
    select distinct on (pair.monitor_id, s.series_id, x.test)
           pair.monitor_id, s.series_id, x.test, x.metric_value >= 1 as success, x.failing_rows, x.recorded_at, x.metric_id, x.details
    from pair join metric_series s on s.series_id = pair.series_id
    cross join lateral (${seriesMetrics(
      sql`(pair.after_at is null or (m.recorded_at, m.metric_id) > (pair.after_at, pair.after_id))`,
      sql`m.metric_value, m.recorded_at, m.metric_id, m.metadata->'assertion' as details,
          coalesce(m.metadata->'assertion'->>'name', m.metadata->'assertion'->>'assertion', '(unnamed)') as test,
          case when jsonb_typeof(m.metadata->'assertion'->'failing_rows') = 'number' then (m.metadata->'assertion'->>'failing_rows')::float8 end as failing_rows`,
      null,
    )}) x
    order by pair.monitor_id, s.series_id, x.test, x.recorded_at desc, x.metric_id desc`),
);

/**
 * Where each judged (monitor, series) has got to: the newest point and its verdict, in one upsert; an
 * anomalous point joins the excluded ones (emptied again by accept-baseline).
 */
export const SAVE_STATES = prepared((_db, p: { now: Date; states: string }) =>
  rawStatement(sql<{ monitor_id: string }>`
    insert into monitor_series_state as st (monitor_id, series_id, judged_recorded_at, judged_metric_id, judged_at, verdict, excluded_metric_ids)
    select x.monitor_id, x.series_id, x.recorded_at, x.metric_id, ${p.now}::timestamptz, x.verdict, case when x.exclude then array[x.metric_id] else '{}'::uuid[] end
    from jsonb_to_recordset(${p.states}::jsonb) as x(monitor_id uuid, series_id uuid, recorded_at timestamptz, metric_id uuid, verdict jsonb, exclude boolean)
    on conflict (monitor_id, series_id) do update set
      judged_recorded_at = excluded.judged_recorded_at, judged_metric_id = excluded.judged_metric_id, judged_at = excluded.judged_at, verdict = excluded.verdict,
      excluded_metric_ids = st.excluded_metric_ids || excluded.excluded_metric_ids
    returning st.monitor_id`),
);

import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, queries, uuid } from '../database/typed-sql.js';
import type { MonitorKind } from '../incidents/incident-signal.js';
import type { MonitorTarget } from './monitor-target.js';

/** A monitor as the API shows it: timestamps as RFC 3339 text in UTC. */
export const monitorColumns = (eb: ExpressionBuilder<Database, 'monitors'>) => [
  'monitors.id' as const,
  'monitors.name' as const,
  'monitors.pipeline_name' as const,
  'monitors.dataset_namespace' as const,
  'monitors.dataset_name' as const,
  'monitors.column_name as column' as const,
  'monitors.kind' as const,
  'monitors.severity' as const,
  'monitors.params' as const,
  'monitors.resolve_after' as const,
  'monitors.enabled' as const,
  isoText(eb.ref('monitors.created_at')).as('created_at'),
  isoText(eb.ref('monitors.updated_at')).as('updated_at'),
  isoText<null>(eb.ref('monitors.disabled_at')).as('disabled_at'),
  isoText<null>(eb.ref('monitors.next_deadline_at')).as('next_deadline_at'),
  isoText<null>(eb.ref('monitors.deadline_occurrence')).as('deadline_occurrence'),
];

export interface MonitorFilters {
  pipelineName?: string;
  dataset?: { namespace: string; name: string };
  kind?: MonitorKind;
  enabled: boolean;
  /** The id of the last monitor of the previous page (ids are UUIDv7: creation order). */
  afterId?: string;
}

/**
 * One page of monitors in id (creation) order. Enabled ones are served by the partial indexes on enabled
 * monitors (by pipeline, by kind) or the primary key; the EXPLAIN test in test/e2e/monitors proves it.
 */
export const listMonitors = (f: MonitorFilters, fetch: number) => {
  let q = queries.selectFrom('monitors').select(monitorColumns).where('monitors.enabled', '=', f.enabled);
  if (f.pipelineName !== undefined) q = q.where('monitors.pipeline_name', '=', f.pipelineName);
  if (f.dataset !== undefined) {
    q = q.where('monitors.dataset_namespace', '=', f.dataset.namespace).where('monitors.dataset_name', '=', f.dataset.name).where('monitors.dataset_name', 'is not', null);
  }
  if (f.kind !== undefined) q = q.where('monitors.kind', '=', f.kind);
  if (f.afterId !== undefined) q = q.where('monitors.id', '>', uuid(f.afterId));
  return q.orderBy('monitors.id').limit(fetch);
};

export const selectMonitor = (id: string) => queries.selectFrom('monitors').select(monitorColumns).where('monitors.id', '=', uuid(id));

/**
 * Whether the pipeline reports progress, so that a stalled monitor can tell "no news" from "quiet by design":
 * one of its 100 latest runs has a `progress` event in its history (a REST progress event, or an OpenLineage
 * RUNNING event, which the ledger records as progress). Bounded: the 100 latest runs by the pipeline's
 * (pipeline_name, started_at) index, each probed by the history index.
 */
export const pipelineReportsProgress = (pipelineName: string) =>
  queries
    .selectNoFrom((eb) =>
      eb
        .exists(
          eb
            .selectFrom(
              queries
                .selectFrom('pipeline_executions')
                .select('pipeline_executions.execution_id')
                .where('pipeline_executions.pipeline_name', '=', pipelineName)
                .orderBy('pipeline_executions.started_at', 'desc')
                .limit(100)
                .as('r'),
            )
            .innerJoin('pipeline_execution_events as v', 'v.execution_id', 'r.execution_id')
            .where('v.type', '=', 'progress')
            .select(sql.lit(1).as('one')),
        )
        .as('reports'),
    );

/**
 * Whether a data monitor's target has reported `metricType` (metric_series: the pipeline's series by its
 * identity prefix, a dataset's by metric_series_dataset_idx). Bounded: one index probe.
 */
export const targetReportsMetric = (t: MonitorTarget, metricType: string) =>
  queries.selectNoFrom((eb) => {
    let q = eb.selectFrom('metric_series as s').select(sql.lit(1).as('one')).where('s.metric_type', '=', metricType);
    if (t.pipeline_name !== null) q = q.where('s.pipeline_name', '=', t.pipeline_name);
    if (t.dataset_name !== null) q = q.where('s.dataset_namespace', '=', t.dataset_namespace).where('s.dataset_name', '=', t.dataset_name);
    if (t.column !== null) q = q.where('s.column_name', '=', t.column);
    return eb.exists(q).as('reported');
  });

/** Every enabled monitor, with whether apply owns it (created without an API key), for `monitors apply`. */
export const enabledMonitorsWithOwner = () =>
  queries
    .selectFrom('monitors')
    .select((eb) => [...monitorColumns(eb), 'monitors.created_by_key'])
    .where('monitors.enabled', '=', true)
    .orderBy('monitors.id');

/**
 * The advisory lock key of `monitors apply` ("pl_mon"), taken first in its transaction: two applies (two
 * deploys at once) run one after the other, so the second plans against what the first wrote and does not
 * create the same monitors again. Any constant every replica and CLI agrees on; no other lock of the
 * service uses it.
 */
export const MONITORS_APPLY_LOCK = 0x706c5f6d6f6e;

export const lockMonitorsApply = () => queries.selectNoFrom(sql<void>`pg_advisory_xact_lock(${sql.lit(MONITORS_APPLY_LOCK)})`.as('locked'));

/**
 * A data monitor's newest verdict per series it judged (GET /v1/monitors/{id}), newest judged first, at most
 * `limit`: the state's primary key prefix, each series by its primary key.
 */
export const seriesVerdicts = (monitorId: string, limit: number) =>
  queries
    .selectFrom('monitor_series_state as st')
    .innerJoin('metric_series as s', 's.series_id', 'st.series_id')
    .select((eb) => [
      'st.series_id',
      's.pipeline_name',
      's.dataset_namespace',
      's.dataset_name',
      's.column_name as column',
      's.metric_type',
      isoText(eb.ref('st.judged_at')).as('judged_at'),
      isoText(eb.ref('st.judged_recorded_at')).as('judged_recorded_at'),
      'st.verdict',
      isoText<null>(eb.ref('st.baseline_from')).as('baseline_from'),
    ])
    .where('st.monitor_id', '=', uuid(monitorId))
    .orderBy('st.judged_recorded_at', 'desc')
    .limit(limit);

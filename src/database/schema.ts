import type { ColumnType, Generated } from 'kysely';
import type { ApiKeyScope } from '../auth/api-key.entity.js';
import type { ExecutionStatus } from '../audit/execution-status.js';
import type { EventType } from '../audit/pipeline-execution-event.entity.js';
import type { EventKind, OpenLineageEventType } from '../lineage/lineage-event.entity.js';
import type { MonitorKind, Severity } from '../incidents/incident-signal.js';
import type { DefaultScope } from '../monitors/monitor-default.entity.js';
import type { IncidentStatus, TimelineType } from '../incidents/incident-transitions.js';

/**
 * The tables the typed queries read and write, as Kysely sees them: one interface per table, the column
 * names as in the database (the entities' snake_case fields), so that a query naming a column that does not
 * exist, or binding a value of the wrong type, does not compile. `TABLE_COLUMNS` lists the same columns at
 * run time; a spec holds both against the entities' metadata (src/database/schema.spec.ts), and the
 * migrations are generated from those entities: a renamed property breaks the build, not production.
 */

/** timestamptz: pg reads a Date, queries write an ISO string or a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz with a default (now()): may be left out of an insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamptz. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** jsonb: written as JSON text cast with ::jsonb, read back parsed. */
type Json<T = unknown> = ColumnType<T, string, string>;

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiKeyScope[];
  created_at: DefaultedTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  /** Has a default (NO_API_KEY, for rows from before keys were scoped), but every insert names it. */
  api_key_id: string;
  scope: string;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: DefaultedTimestamp;
}

export interface PipelineExecutionsTable {
  execution_id: string;
  pipeline_name: string;
  status: ExecutionStatus;
  started_at: Timestamp;
  completed_at: NullableTimestamp;
  input_file: string | null;
  row_counts: Json<Record<string, number>>;
  error_details: string | null;
  attempt: Generated<number>;
  parent_execution_id: string | null;
  max_attempts: number | null;
  nominal_time: NullableTimestamp;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface PipelineExecutionEventsTable {
  event_id: string;
  execution_id: string;
  type: EventType;
  occurred_at: DefaultedTimestamp;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface DataQualityMetricsTable {
  metric_id: string;
  pipeline_name: string;
  metric_type: string;
  metric_value: number;
  recorded_at: Timestamp;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  execution_id: string | null;
  created_at: DefaultedTimestamp;
}

/** Written only by the catalog's triggers (src/quality/metric-hours.sql.ts): read-only here. */
export interface MetricSeriesTable {
  series_id: string;
  pipeline_name: string;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  metric_type: string;
  first_recorded_at: Timestamp;
  last_recorded_at: Timestamp;
  last_metric_id: string;
  last_value: number;
  /** bigint: pg returns it as text. */
  point_count: ColumnType<string, never, never>;
}

/** Written only by the rollup's triggers (src/quality/metric-hours.sql.ts): read-only here. */
export interface DataQualityMetricHoursTable {
  series_id: string;
  hour: Timestamp;
  /** bigint: pg returns it as text. */
  count: ColumnType<string, never, never>;
  sum: number;
  min: number;
  max: number;
  last_recorded_at: Timestamp;
  last_metric_id: string;
  last_value: number;
}

export interface LineageEventsTable {
  id: string;
  event_hash: string;
  received_at: DefaultedTimestamp;
  event_time: Timestamp;
  kind: EventKind;
  event_type: OpenLineageEventType | null;
  run_id: string | null;
  job_namespace: string | null;
  job_name: string | null;
  producer: string;
  payload: Json<Record<string, unknown>>;
}

export interface JobTicksTable {
  task: string;
  slot: Timestamp;
  started_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface MonitorsTable {
  id: string;
  name: string | null;
  pipeline_name: string | null;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  kind: MonitorKind;
  severity: Severity;
  params: Json<Record<string, unknown>>;
  resolve_after: ColumnType<number, number | undefined, number>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  disabled_at: NullableTimestamp;
  created_by_key: string | null;
  deadline_occurrence: NullableTimestamp;
  next_deadline_at: NullableTimestamp;
}

export interface MonitorSeriesStateTable {
  monitor_id: string;
  series_id: string;
  judged_recorded_at: Timestamp;
  judged_metric_id: string;
  judged_at: Timestamp;
  verdict: Json<Record<string, unknown>>;
  baseline_from: NullableTimestamp;
  excluded_metric_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface MonitorDefaultsTable {
  scope: DefaultScope;
  name: string;
  run_failed_enabled: boolean;
  updated_at: DefaultedTimestamp;
  updated_by_key: string | null;
}

export interface IncidentsTable {
  incident_id: string;
  dedupe_key: string;
  monitor_id: string | null;
  pipeline_name: string;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  kind: MonitorKind;
  severity: Severity;
  status: IncidentStatus;
  flapping: ColumnType<boolean, boolean | undefined, boolean>;
  snoozed_until: NullableTimestamp;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  occurrences: ColumnType<number, number | undefined, number>;
  healthy_streak: ColumnType<number, number | undefined, number>;
  resolve_after: ColumnType<number, number | undefined, number>;
  reopen_count: ColumnType<number, number | undefined, number>;
  resolved_at: NullableTimestamp;
  acknowledged_by: string | null;
  acknowledged_at: NullableTimestamp;
  evidence: Json<Record<string, unknown>>;
}

export interface IncidentEventsTable {
  /** bigint identity: pg reads it as a string. */
  id: Generated<string>;
  incident_id: string;
  at: Timestamp;
  type: TimelineType;
  actor_api_key_id: string | null;
  actor_user_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface OutboxEventsTable {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  published_at: NullableTimestamp;
}

export interface PipelinesTable {
  name: string;
  description: string | null;
  owner: string | null;
  team: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  links: ColumnType<unknown[], string | undefined, string>;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  /** interval: written as text ('3600000 milliseconds'), read as milliseconds by the queries. */
  schedule_every: ColumnType<unknown, string | null | undefined, string | null>;
  archived_at: NullableTimestamp;
  first_seen_at: NullableTimestamp;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface Database {
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  pipeline_executions: PipelineExecutionsTable;
  pipeline_execution_events: PipelineExecutionEventsTable;
  data_quality_metrics: DataQualityMetricsTable;
  metric_series: MetricSeriesTable;
  data_quality_metric_hours: DataQualityMetricHoursTable;
  lineage_events: LineageEventsTable;
  job_ticks: JobTicksTable;
  monitors: MonitorsTable;
  monitor_defaults: MonitorDefaultsTable;
  monitor_series_state: MonitorSeriesStateTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  outbox_events: OutboxEventsTable;
  pipelines: PipelinesTable;
}

/** Every column of every typed table, at run time (the spec compares them with the entities' metadata). */
export const TABLE_COLUMNS = {
  api_keys: ['id', 'name', 'prefix', 'hash', 'scopes', 'created_at', 'last_used_at', 'revoked_at'],
  idempotency_keys: ['api_key_id', 'scope', 'key', 'request_hash', 'response_status', 'response_body', 'created_at'],
  pipeline_executions: [
    'execution_id', 'pipeline_name', 'status', 'started_at', 'completed_at', 'input_file', 'row_counts',
    'error_details', 'attempt', 'parent_execution_id', 'max_attempts', 'nominal_time', 'created_at', 'updated_at',
  ],
  pipeline_execution_events: ['event_id', 'execution_id', 'type', 'occurred_at', 'payload'],
  data_quality_metrics: [
    'metric_id', 'pipeline_name', 'metric_type', 'metric_value', 'recorded_at', 'dataset_namespace', 'dataset_name', 'column_name', 'metadata', 'execution_id', 'created_at',
  ],
  metric_series: [
    'series_id', 'pipeline_name', 'dataset_namespace', 'dataset_name', 'column_name', 'metric_type',
    'first_recorded_at', 'last_recorded_at', 'last_metric_id', 'last_value', 'point_count',
  ],
  data_quality_metric_hours: ['series_id', 'hour', 'count', 'sum', 'min', 'max', 'last_recorded_at', 'last_metric_id', 'last_value'],
  lineage_events: [
    'id', 'event_hash', 'received_at', 'event_time', 'kind', 'event_type', 'run_id', 'job_namespace', 'job_name', 'producer', 'payload',
  ],
  job_ticks: ['task', 'slot', 'started_at', 'completed_at'],
  monitors: [
    'id', 'name', 'pipeline_name', 'dataset_namespace', 'dataset_name', 'column_name', 'kind', 'severity', 'params', 'resolve_after',
    'enabled', 'created_at', 'updated_at', 'disabled_at', 'created_by_key', 'deadline_occurrence', 'next_deadline_at',
  ],
  monitor_series_state: [
    'monitor_id', 'series_id', 'judged_recorded_at', 'judged_metric_id', 'judged_at', 'verdict', 'baseline_from', 'excluded_metric_ids',
  ],
  monitor_defaults: ['scope', 'name', 'run_failed_enabled', 'updated_at', 'updated_by_key'],
  incidents: [
    'incident_id', 'dedupe_key', 'monitor_id', 'pipeline_name', 'dataset_namespace', 'dataset_name', 'column_name', 'kind', 'severity', 'status', 'flapping', 'snoozed_until',
    'first_seen_at', 'last_seen_at', 'occurrences', 'healthy_streak', 'resolve_after', 'reopen_count', 'resolved_at',
    'acknowledged_by', 'acknowledged_at', 'evidence',
  ],
  incident_events: ['id', 'incident_id', 'at', 'type', 'actor_api_key_id', 'actor_user_id', 'details'],
  outbox_events: ['id', 'aggregate_type', 'aggregate_id', 'event_type', 'payload', 'created_at', 'published_at'],
  pipelines: [
    'name', 'description', 'owner', 'team', 'tags', 'links', 'schedule_cron', 'schedule_timezone', 'schedule_every',
    'archived_at', 'first_seen_at', 'created_at', 'updated_at',
  ],
} as const satisfies { [T in keyof Database]: readonly (keyof Database[T])[] };

// Both ways: a column in an interface but missing from TABLE_COLUMNS does not compile either.
type Missing = { [T in keyof Database]: Exclude<keyof Database[T], (typeof TABLE_COLUMNS)[T][number]> }[keyof Database];
const _everyColumnListed: [Missing] extends [never] ? true : Missing = true;
void _everyColumnListed;

import { Type, type Static } from '@sinclair/typebox';
import { MONITOR_KINDS, SEVERITIES } from '../../incidents/incident-signal.js';
import { Cursor, Limit, Nullable, StoredPipelineName, StringEnum, Text, Uuid } from '../../http/schemas.js';
import { ColumnName, DatasetName, DatasetNamespace } from '../../quality/dto/dataset-fields.js';

const Name = Text({ maxLength: 200, notBlank: true, description: 'A stable name, unique among enabled monitors (how `monitors apply` recognises it).' });
const Params = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  maxProperties: 10,
  description:
    'The kind\'s settings (docs/monitors.md): run_failed {}; freshness {max_age} | {cron, timezone, grace?} | {auto: true}; duration {max_duration} | {factor, runs?}; stalled {stall_after}; metric_threshold {metric_type, min?, max?, max_change_pct?}; test_failed {}; metric_anomaly {metric_type, seasonality?, direction?, training?, sensitivity?, min_abs_change?, min_rel_change?}. Durations in ISO 8601 (PT26H).',
});
const Target = {
  dataset_namespace: Type.Optional({ ...DatasetNamespace, description: 'Data kinds: the dataset\'s namespace (with dataset_name), as OpenLineage names it; normalised as docs/datasets.md says.' }),
  dataset_name: Type.Optional({ ...DatasetName, description: 'Data kinds: the dataset (table) watched; with dataset_namespace.' }),
  column: Type.Optional({ ...ColumnName, description: 'Data kinds: one column of the dataset (needs dataset_name).' }),
};
const ResolveAfter = Type.Integer({ minimum: 1, maximum: 100, description: 'Consecutive healthy observations that resolve an incident (default 1).' });

export const CreateMonitorDto = Type.Object(
  {
    name: Type.Optional(Name),
    pipeline_name: Type.Optional({ ...StoredPipelineName, description: 'Required for the run kinds; for the data kinds the pipeline whose reports are watched (or give a dataset).' }),
    ...Target,
    kind: StringEnum(MONITOR_KINDS),
    severity: Type.Optional(StringEnum(SEVERITIES, { description: 'Default: critical for run_failed and freshness, warning for duration, stalled and learned freshness.' })),
    params: Type.Optional(Params),
    resolve_after: Type.Optional(ResolveAfter),
  },
  { additionalProperties: false, title: 'CreateMonitor' },
);
export type CreateMonitorDto = Static<typeof CreateMonitorDto>;

export const UpdateMonitorDto = Type.Object(
  {
    name: Type.Optional(Nullable(Name)),
    severity: Type.Optional(StringEnum(SEVERITIES)),
    params: Type.Optional({ ...Params, description: 'Replaces the params whole; validated for the monitor\'s kind.' }),
    resolve_after: Type.Optional(ResolveAfter),
    enabled: Type.Optional(Type.Boolean({ description: 'true re-enables a deleted (disabled) monitor.' })),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateMonitor' },
);
export type UpdateMonitorDto = Static<typeof UpdateMonitorDto>;

export const MonitorIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export type MonitorIdParams = Static<typeof MonitorIdParams>;

export const ListMonitorsQuery = Type.Object(
  {
    pipeline_name: Type.Optional(StoredPipelineName),
    dataset_namespace: Type.Optional({ ...DatasetNamespace, description: 'With dataset_name: the monitors targeting this dataset (or one of its columns).' }),
    dataset_name: Type.Optional({ ...DatasetName, description: 'With dataset_namespace.' }),
    kind: Type.Optional(StringEnum(MONITOR_KINDS)),
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'false: only disabled (deleted) monitors.' })),
    limit: Type.Optional(Limit(500, 100)),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListMonitorsQuery = Static<typeof ListMonitorsQuery>;

const Time = Type.String({ description: 'RFC 3339 in UTC.' });
const SeriesVerdict = Type.Object({
  series_id: Uuid,
  pipeline_name: Type.String(),
  dataset_namespace: Nullable(Type.String()),
  dataset_name: Nullable(Type.String()),
  column: Nullable(Type.String()),
  metric_type: Type.String(),
  judged_at: Time,
  judged_recorded_at: Time,
  verdict: Type.Record(Type.String(), Type.Unknown(), { description: 'The last verdict: firing or not, and why (for metric_anomaly the engine\'s verdict, insufficient_history included).' }),
  baseline_from: Nullable(Type.String(), { description: 'metric_anomaly: training starts here (an accepted baseline).' }),
});
export const MonitorResponse = Type.Object(
  {
    id: Uuid,
    name: Nullable(Type.String()),
    pipeline_name: Nullable(Type.String(), { description: 'null for a data monitor that targets a dataset across pipelines.' }),
    dataset_namespace: Nullable(Type.String()),
    dataset_name: Nullable(Type.String()),
    column: Nullable(Type.String()),
    kind: StringEnum(MONITOR_KINDS),
    severity: StringEnum(SEVERITIES),
    params: Type.Record(Type.String(), Type.Unknown()),
    resolve_after: Type.Integer(),
    enabled: Type.Boolean(),
    created_at: Time,
    updated_at: Time,
    disabled_at: Nullable(Type.String()),
    next_deadline_at: Nullable(Type.String(), { description: 'Cron freshness: the next occurrence plus grace, by which a run must have covered it.' }),
    deadline_occurrence: Nullable(Type.String(), { description: 'Cron freshness: the occurrence next_deadline_at belongs to.' }),
    series: Type.Optional(Type.Array(SeriesVerdict, { description: 'GET /v1/monitors/{id} of a data monitor: the newest verdict per watched series (at most 100).' })),
  },
  { title: 'Monitor' },
);
export type MonitorResponse = Static<typeof MonitorResponse>;

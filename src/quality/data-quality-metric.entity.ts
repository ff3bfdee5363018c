import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Trigger } from '@mikro-orm/decorators/legacy';
import { PipelineExecution } from '../audit/pipeline-execution.entity.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { METRIC_HOURS_TRIGGERS } from './metric-hours.sql.js';

/** One measurement of a pipeline's data, e.g. a row count or a null rate, at a point in time. */
@Entity({ tableName: 'data_quality_metrics' })
// PostgreSQL sorts NaN above +Infinity, so this one range test rejects NaN and both infinities.
@Check({
  name: 'data_quality_metrics_value_finite',
  expression: `metric_value > '-Infinity'::float8 and metric_value < 'Infinity'::float8`,
})
@Check({ name: 'data_quality_metrics_pipeline_name_not_blank', expression: `btrim(pipeline_name) <> ''` })
@Check({ name: 'data_quality_metrics_metric_type_not_blank', expression: `btrim(metric_type) <> ''` })
@Check({ name: 'data_quality_metrics_metadata_is_object', expression: `jsonb_typeof(metadata) = 'object'` })
// A dataset is named by both its namespace and its name, and a column only within a dataset.
@Check({ name: 'data_quality_metrics_dataset_whole', expression: '(dataset_namespace is null) = (dataset_name is null)' })
@Check({ name: 'data_quality_metrics_column_needs_dataset', expression: 'column_name is null or dataset_name is not null' })
// Latest values, time series and anomaly windows of one metric of one pipeline (its own series, naming no
// dataset), newest first; metric_id breaks ties so keyset pages over one metric type are served by it too.
// metric_value rides along so that series and anomaly aggregates are index-only scans (no heap page per metric).
@Index({
  name: 'data_quality_metrics_pipeline_series_idx',
  expression:
    'create index "data_quality_metrics_pipeline_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" desc, "metric_id" desc) include ("metric_value") where dataset_name is null',
})
// The same for a dataset's (or one column's) series, whichever pipeline reported them.
@Index({
  name: 'data_quality_metrics_dataset_series_idx',
  expression:
    'create index "data_quality_metrics_dataset_series_idx" on "data_quality_metrics" ("dataset_namespace", "dataset_name", "column_name", "metric_type", "recorded_at" desc, "metric_id" desc) include ("metric_value") where dataset_name is not null',
})
// Listing a pipeline's metrics of every type in time order.
@Index({ name: 'data_quality_metrics_pipeline_recorded_idx', properties: ['pipelineName', 'recordedAt', 'id'] })
// Listing metrics of some types across pipelines in time order.
@Index({ name: 'data_quality_metrics_type_recorded_idx', properties: ['metricType', 'recordedAt', 'id'] })
// Listing all metrics, or a time range, in time order.
@Index({ name: 'data_quality_metrics_recorded_idx', properties: ['recordedAt', 'id'] })
// The series catalog (metric_series) and the hourly rollup (data_quality_metric_hours) follow every insert, delete and update. (And truncate:
// that trigger is created by the migration only, because MikroORM reads triggers from
// information_schema.triggers, which does not list TRUNCATE ones; declared here, it would be "missing" forever.)
@Trigger({ ...METRIC_HOURS_TRIGGERS.add, timing: 'after', events: ['insert'], forEach: 'statement' })
@Trigger({ ...METRIC_HOURS_TRIGGERS.remove, timing: 'after', events: ['delete'], forEach: 'statement' })
@Trigger({ ...METRIC_HOURS_TRIGGERS.change, timing: 'after', events: ['update'], forEach: 'statement' })
export class DataQualityMetric {
  @PrimaryKey({ type: 'uuid', fieldName: 'metric_id' })
  id: string = uuidV7();

  @Property({ type: 'text' })
  pipelineName!: string;

  @Property({ type: 'text' })
  metricType!: string;

  @Property({ type: 'double' })
  metricValue!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  recordedAt: Date = new Date();

  /** The dataset measured (OpenLineage naming, normalised by datasetIdentity); null: the pipeline's own series. */
  @Property({ type: 'text', nullable: true })
  datasetNamespace: string | null = null;

  @Property({ type: 'text', nullable: true })
  datasetName: string | null = null;

  /** The column of the dataset measured, if one (the API calls it `column`). */
  @Property({ type: 'text', nullable: true })
  columnName: string | null = null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  metadata: Record<string, unknown> = {};

  @ManyToOne({
    entity: () => PipelineExecution,
    fieldName: 'execution_id',
    nullable: true,
    deleteRule: 'set null',
    index: 'data_quality_metrics_execution_id_idx',
  })
  execution: PipelineExecution | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * Every series of metrics there is: one (pipeline, dataset, column, metric type), the dataset fields null
 * for a pipeline's own series, with its first and newest point and its number of points. Written only by
 * the triggers on data_quality_metrics (metric-hours.sql.ts); what the datasets listing, the latest values
 * and the data monitors read instead of the metrics.
 */
@Entity({ tableName: 'metric_series' })
@Unique({
  name: 'metric_series_identity',
  expression:
    'create unique index "metric_series_identity" on "metric_series" ("pipeline_name", "dataset_namespace", "dataset_name", "column_name", "metric_type") nulls not distinct',
})
@Index({
  name: 'metric_series_dataset_idx',
  expression: 'create index "metric_series_dataset_idx" on "metric_series" ("dataset_namespace", "dataset_name") where dataset_name is not null',
})
export class MetricSeries {
  @PrimaryKey({ type: 'uuid', fieldName: 'series_id', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  pipelineName!: string;

  @Property({ type: 'text', nullable: true })
  datasetNamespace: string | null = null;

  @Property({ type: 'text', nullable: true })
  datasetName: string | null = null;

  @Property({ type: 'text', nullable: true })
  columnName: string | null = null;

  @Property({ type: 'text' })
  metricType!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  firstRecordedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastRecordedAt!: Date;

  @Property({ type: 'uuid' })
  lastMetricId!: string;

  @Property({ type: 'double' })
  lastValue!: number;

  @Property({ type: 'bigint' })
  pointCount!: bigint;
}

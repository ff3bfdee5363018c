import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { MetricSeries } from './metric-series.entity.js';

/**
 * The metrics of one series in one hour (UTC, epoch-aligned), summed up: what hourly and daily series read
 * instead of every metric. Written only by the triggers on data_quality_metrics (metric-hours.sql.ts),
 * never by the service itself.
 */
@Entity({ tableName: 'data_quality_metric_hours' })
export class DataQualityMetricHour {
  @ManyToOne({ entity: () => MetricSeries, fieldName: 'series_id', primary: true, deleteRule: 'cascade' })
  series!: MetricSeries;

  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  hour!: Date;

  @Property({ type: 'bigint' })
  count!: bigint;

  @Property({ type: 'double' })
  sum!: number;

  @Property({ type: 'double' })
  min!: number;

  @Property({ type: 'double' })
  max!: number;

  /** The newest metric of the hour (by recorded_at, then metric_id), for agg=last. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastRecordedAt!: Date;

  @Property({ type: 'uuid' })
  lastMetricId!: string;

  @Property({ type: 'double' })
  lastValue!: number;
}

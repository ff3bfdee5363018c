import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Where a data monitor (metric_threshold, test_failed, metric_anomaly) has got to in each series it watches
 * (docs/monitors-evaluation.md#data-monitors): the newest point it judged, so a tick judges only series that
 * moved since, and that verdict, which GET /v1/monitors/{id} shows (insufficient history included). For
 * metric_anomaly also the training's accepted start (`baseline_from`, set by an incident's accept-baseline)
 * and the anomalous points left out of later training.
 */
@Entity({ tableName: 'monitor_series_state' })
// GET /v1/monitors/{id}: a monitor's newest verdicts first.
@Index({ name: 'monitor_series_state_recent_idx', properties: ['monitorId', 'judgedRecordedAt'] })
export class MonitorSeriesState {
  @PrimaryKey({ type: 'uuid' })
  monitorId!: string;

  /** metric_series.series_id. No foreign key: a series is never deleted while metrics reference it, and the monitor only disables. */
  @PrimaryKey({ type: 'uuid' })
  seriesId!: string;

  /** The point judged last (the series' newest when the tick ran). */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  judgedRecordedAt!: Date;

  @Property({ type: 'uuid' })
  judgedMetricId!: string;

  /** The tick that judged it. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  judgedAt!: Date;

  /** The verdict as evidence reads it (firing or not, and why). */
  @Property({ type: 'jsonb' })
  verdict: Record<string, unknown> = {};

  /** metric_anomaly: training starts here (accept-baseline); null: the training window only. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  baselineFrom: Date | null = null;

  /** metric_anomaly: the points judged anomalous, left out of later training (those before baseline_from are dropped). */
  @Property({ type: 'uuid[]', columnType: 'uuid[]', defaultRaw: `'{}'` })
  excludedMetricIds: string[] = [];
}

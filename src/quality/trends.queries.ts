import { isoColumn } from '../database/sql.js';
import type { Aggregate } from './dto/trends.query.js';
import { METRIC_COLUMNS } from './metrics.queries.js';
import { EPOCH, HOUR_OF } from './metric-hours.sql.js';

const LATEST_OF_TYPE = `
  cross join lateral (
    select * from data_quality_metrics x where x.pipeline_name = ? and x.metric_type = t.metric_type
    order by x.recorded_at desc, x.metric_id desc limit 1
  ) m`;

/**
 * The newest metric of each type of a pipeline. The types are found by skipping through the series index
 * (one probe per type), and each newest row is one more probe: no scan of the pipeline's history.
 */
export const LATEST_ALL_TYPES = `
  with recursive t(metric_type) as (
    (select metric_type from data_quality_metrics where pipeline_name = ? order by metric_type limit 1)
    union all
    select (select x.metric_type from data_quality_metrics x where x.pipeline_name = ? and x.metric_type > t.metric_type
            order by x.metric_type limit 1)
    from t where t.metric_type is not null
  )
  select ${METRIC_COLUMNS} from t ${LATEST_OF_TYPE} where t.metric_type is not null order by t.metric_type`;

export const LATEST_OF_TYPES = `
  select ${METRIC_COLUMNS} from (select distinct unnest(?::text[]) as metric_type) t ${LATEST_OF_TYPE}
  order by t.metric_type`;


/** Each aggregate over raw metrics (metric_value, recorded_at, metric_id)... */
const RAW_AGGREGATE: Record<Aggregate, string> = {
  avg: 'avg(metric_value)',
  min: 'min(metric_value)',
  max: 'max(metric_value)',
  sum: 'sum(metric_value)',
  count: 'count(*)::float8',
  last: '(array_agg(metric_value order by recorded_at desc, metric_id desc))[1]',
};

/** ...and the same over rows of the hourly rollup, which carry count, sum, min, max and the last value. */
const ROLLUP_AGGREGATE: Record<Aggregate, string> = {
  avg: 'sum(sum) / sum(count)::float8',
  min: 'min(min)',
  max: 'max(max)',
  sum: 'sum(sum)',
  count: 'sum(count)::float8',
  last: '(array_agg(last_value order by last_recorded_at desc, last_metric_id desc))[1]',
};

export interface SeriesRange {
  pipeline: string;
  type: string;
  /** Inclusive, on a bucket boundary; RFC 3339. */
  from: string;
  /** Exclusive, as the caller gave it (microseconds kept); RFC 3339. */
  to: string;
  /** Bucket width as a PostgreSQL interval, e.g. '1 hour'. */
  bucket: string;
  /** Whether the buckets are whole hours (1h, 1d): then the hourly rollup can serve them. */
  wholeHours: boolean;
}

function pointsSql(agg: Aggregate, buckets: string): string {
  const empty = agg === 'count' ? '0' : 'null';
  return `
  with b as (
    select generate_series(?::timestamptz, ?::timestamptz - interval '1 microsecond', ?::interval) as bucket_start
  ), a as (${buckets}
  )
  select ${isoColumn('b.bucket_start', 'bucket_start')}, coalesce(a.value, ${empty}) as value, coalesce(a.count, 0) as count
  from b left join a on a.bucket_start = b.bucket_start
  order by b.bucket_start`;
}

/**
 * One row per bucket in [from, to), epoch-aligned like date_bin, empty buckets included (value null, or 0
 * for count). Hourly and daily buckets read the hourly rollup (data_quality_metric_hours, kept by triggers)
 * for the whole hours before the hour `to` falls in, and the metrics themselves only for that last part
 * hour: a 30-day hourly series reads 720 rows instead of every metric. 5-minute buckets read the metrics.
 */
export function seriesQuery(agg: Aggregate, range: SeriesRange): { sql: string; params: unknown[] } {
  const { pipeline, type, from, to, bucket } = range;
  const head = [from, to, bucket];
  if (!range.wholeHours) {
    const buckets = `
    select date_bin(?::interval, recorded_at, ${EPOCH}) as bucket_start, count(*)::int as count, ${RAW_AGGREGATE[agg]} as value
    from data_quality_metrics
    where pipeline_name = ? and metric_type = ? and recorded_at >= ?::timestamptz and recorded_at < ?::timestamptz
    group by 1`;
    return { sql: pointsSql(agg, buckets), params: [...head, bucket, pipeline, type, from, to] };
  }
  const edge = HOUR_OF('?::timestamptz');
  const buckets = `
    select date_bin(?::interval, hour, ${EPOCH}) as bucket_start, sum(count)::int as count, ${ROLLUP_AGGREGATE[agg]} as value
    from (
      select hour, count, sum, min, max, last_recorded_at, last_metric_id, last_value
      from data_quality_metric_hours
      where pipeline_name = ? and metric_type = ? and hour >= ?::timestamptz and hour < ${edge}
      union all
      select recorded_at, 1, metric_value, metric_value, metric_value, recorded_at, metric_id, metric_value
      from data_quality_metrics
      where pipeline_name = ? and metric_type = ? and recorded_at >= greatest(?::timestamptz, ${edge}) and recorded_at < ?::timestamptz
    ) h
    group by 1`;
  return { sql: pointsSql(agg, buckets), params: [...head, bucket, pipeline, type, from, to, pipeline, type, from, to, to] };
}

/**
 * The count, mean and sample standard deviation of one metric over the training window, which ends where
 * the detection window begins. One index-only range scan. Parameters: pipeline, type, detection,
 * detection, training.
 */
export const TRAINING_STATS = `
  select count(*)::int as count, avg(metric_value) as mean, stddev_samp(metric_value) as stddev
  from data_quality_metrics
  where pipeline_name = ? and metric_type = ?
    and recorded_at < now() - ?::interval and recorded_at >= now() - ?::interval - ?::interval`;

/** The points of the detection window, oldest first, one more than the cap. Parameters: pipeline, type, detection. */
export const DETECTION_POINTS = `
  select metric_id, ${isoColumn('recorded_at')}, metric_value as value
  from data_quality_metrics
  where pipeline_name = ? and metric_type = ? and recorded_at >= now() - ?::interval
  order by recorded_at, metric_id
  limit 10001`;

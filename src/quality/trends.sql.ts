import { sql, type AliasableExpression, type Expression, type ExpressionBuilder, type QueryCreator } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, prepared, preparedShapes, queries, timestamptz } from '../database/typed-sql.js';
import type { Aggregate } from './dto/trends.query.js';
import { EPOCH } from './metric-hours.sql.js';
import { metricColumns } from './metrics.sql.js';

/** The metric types to look at, as the `t` these queries read (not named metric_type, which the metrics' columns are). */
type WithTypes = Database & { t: { type: string | null } };

/**
 * The newest metric of each type in `t`, by type: one probe of the series index per type. (ORDER BY names
 * the table, as a bare recorded_at would be the select list's text.)
 */
const newestOfEachType = (qc: QueryCreator<WithTypes>, pipeline: string) =>
  qc
    .selectFrom('t')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('data_quality_metrics')
          .select(metricColumns)
          .where('data_quality_metrics.pipeline_name', '=', pipeline)
          .whereRef('data_quality_metrics.metric_type', '=', 't.type')
          .orderBy('data_quality_metrics.recorded_at', 'desc')
          .orderBy('data_quality_metrics.metric_id', 'desc')
          .limit(sql.lit(1))
          .as('m'),
      (join) => join.onTrue(),
    )
    .selectAll('m')
    .orderBy('t.type');

/**
 * The newest metric of each type of a pipeline. The types are found by skipping through the series index
 * (one probe per type, a recursive CTE), and each newest row is one more probe: no scan of the pipeline's history.
 */
export const LATEST_ALL_TYPES = prepared((db, p: { pipeline: string }) =>
  newestOfEachType(
    db.withRecursive('t(type)', (qc) =>
      qc
        .selectFrom((sub) =>
          sub.selectFrom('data_quality_metrics').select('metric_type').where('pipeline_name', '=', p.pipeline).orderBy('metric_type').limit(sql.lit(1)).as('first'),
        )
        .select((eb) => eb.ref('first.metric_type').$castTo<string | null>().as('type'))
        .unionAll(
          qc
            .selectFrom('t')
            .select((eb) =>
              eb
                .selectFrom('data_quality_metrics as x')
                .select('x.metric_type')
                .where('x.pipeline_name', '=', p.pipeline)
                .whereRef('x.metric_type', '>', 't.type')
                .orderBy('x.metric_type')
                .limit(sql.lit(1))
                .as('type'),
            )
            .where('t.type', 'is not', null),
        ),
    ),
    p.pipeline,
  ).where('t.type', 'is not', null),
);

/** The newest metric of each of the types given, by type. */
export const LATEST_OF_TYPES = prepared((db, p: { pipeline: string; types: string[] }) =>
  newestOfEachType(
    db.with('t', (qc) => qc.selectNoFrom(sql<string>`unnest(${p.types}::text[])`.as('type')).distinct()),
    p.pipeline,
  ),
);

const epoch = sql.raw(EPOCH);
/** Epoch-aligned buckets, as date_bin counts them and the rollup its hours (HOUR_OF). */
const bucketOf = (width: Expression<string>, at: Expression<Date>) => sql<Date>`date_bin(${width}, ${at}, ${epoch})`;
const interval = (value: string) => sql<string>`${value}::interval`;
/** The last value of a group: the one of its newest row, (time, id) breaking ties. */
const newest = (value: Expression<number>, time: Expression<Date>, id: Expression<string>) =>
  sql<number | null>`(array_agg(${value} order by ${time} desc, ${id} desc))[1]`;

type Raw = ExpressionBuilder<Database, 'data_quality_metrics'>;
/** Each aggregate over raw metrics (metric_value, recorded_at, metric_id)... */
const RAW_AGGREGATE: Record<Aggregate, (eb: Raw) => AliasableExpression<number | null>> = {
  avg: (eb) => eb.fn.avg<number | null>('metric_value'),
  min: (eb) => eb.fn.min<number | null>('metric_value'),
  max: (eb) => eb.fn.max<number | null>('metric_value'),
  sum: (eb) => eb.fn.sum<number | null>('metric_value'),
  count: (eb) => eb.cast<number>(eb.fn.countAll(), 'float8'),
  last: (eb) => newest(eb.ref('metric_value'), eb.ref('recorded_at'), eb.ref('metric_id')),
};

type Hours = ExpressionBuilder<Database & { h: Database['data_quality_metric_hours'] }, 'h'>;
/** ...and the same over rows of the hourly rollup, which carry count, sum, min, max and the last value. */
const ROLLUP_AGGREGATE: Record<Aggregate, (eb: Hours) => AliasableExpression<number | null>> = {
  avg: (eb) => sql<number | null>`${eb.fn.sum('h.sum')} / ${eb.cast(eb.fn.sum('h.count'), 'float8')}`,
  min: (eb) => eb.fn.min<number | null>('h.min'),
  max: (eb) => eb.fn.max<number | null>('h.max'),
  sum: (eb) => eb.fn.sum<number | null>('h.sum'),
  count: (eb) => eb.cast<number>(eb.fn.sum('h.count'), 'float8'),
  last: (eb) => newest(eb.ref('h.last_value'), eb.ref('h.last_recorded_at'), eb.ref('h.last_metric_id')),
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

/** Per bucket with metrics: its start, its number of metrics and the aggregate, from the metrics themselves. */
function rawBuckets(agg: Aggregate, { pipeline, type, from, to, bucket }: SeriesRange) {
  return queries
    .selectFrom('data_quality_metrics')
    .select((eb) => [
      bucketOf(interval(bucket), eb.ref('recorded_at')).as('bucket_start'),
      eb.cast<number>(eb.fn.countAll(), 'integer').as('count'),
      RAW_AGGREGATE[agg](eb).as('value'),
    ])
    .where('pipeline_name', '=', pipeline)
    .where('metric_type', '=', type)
    .where('recorded_at', '>=', timestamptz(from))
    .where('recorded_at', '<', timestamptz(to))
    .groupBy(sql.lit(1));
}

/**
 * The same from the hourly rollup for the whole hours before the hour `to` falls in, and from the metrics
 * only for that last part hour (each metric as an hour of one).
 */
function rollupBuckets(agg: Aggregate, { pipeline, type, from, to, bucket }: SeriesRange) {
  const edge = bucketOf(sql.lit('1 hour'), timestamptz(to));
  const hours = queries
    .selectFrom('data_quality_metric_hours as hh')
    .innerJoin('metric_series as s', 's.series_id', 'hh.series_id')
    .select(['hh.hour', 'hh.count', 'hh.sum', 'hh.min', 'hh.max', 'hh.last_recorded_at', 'hh.last_metric_id', 'hh.last_value'])
    .where('s.pipeline_name', '=', pipeline)
    .where('s.dataset_name', 'is', null)
    .where('s.metric_type', '=', type)
    .where('hh.hour', '>=', timestamptz(from))
    .where('hh.hour', '<', edge);
  const partHour = queries
    .selectFrom('data_quality_metrics')
    .select((eb) => [
      eb.ref('recorded_at').as('hour'),
      sql.lit(1).$castTo<string>().as('count'),
      eb.ref('metric_value').as('sum'),
      eb.ref('metric_value').as('min'),
      eb.ref('metric_value').as('max'),
      eb.ref('recorded_at').as('last_recorded_at'),
      eb.ref('metric_id').as('last_metric_id'),
      eb.ref('metric_value').as('last_value'),
    ])
    .where('pipeline_name', '=', pipeline)
    .where('metric_type', '=', type)
    .where('recorded_at', '>=', sql<Date>`greatest(${timestamptz(from)}, ${edge})`)
    .where('recorded_at', '<', timestamptz(to));
  return queries
    .selectFrom(hours.unionAll(partHour).as('h'))
    .select((eb) => [
      bucketOf(interval(bucket), eb.ref('h.hour')).as('bucket_start'),
      eb.cast<number>(eb.fn.sum('h.count'), 'integer').as('count'),
      ROLLUP_AGGREGATE[agg](eb).as('value'),
    ])
    .groupBy(sql.lit(1));
}

/**
 * One row per bucket in [from, to), epoch-aligned like date_bin, empty buckets included (value null, or 0
 * for count). Hourly and daily buckets read the hourly rollup (data_quality_metric_hours, kept by triggers)
 * for the whole hours before the hour `to` falls in, and the metrics themselves only for that last part
 * hour: a 30-day hourly series reads 720 rows instead of every metric. 5-minute buckets read the metrics.
 * Its shape depends on the aggregate and on whether the buckets are whole hours: seriesStatement prepares
 * each of those twelve shapes once.
 */
export function seriesQuery(agg: Aggregate, range: SeriesRange) {
  const { from, to, bucket } = range;
  const empty = agg === 'count' ? sql.lit(0) : sql.lit(null);
  return queries
    .with('b', (qc) =>
      qc.selectNoFrom(sql<Date>`generate_series(${timestamptz(from)}, ${timestamptz(to)} - interval '1 microsecond', ${interval(bucket)})`.as('bucket_start')),
    )
    .with('a', () => (range.wholeHours ? rollupBuckets(agg, range) : rawBuckets(agg, range)))
    .selectFrom('b')
    .leftJoin('a', 'a.bucket_start', 'b.bucket_start')
    .select((eb) => [
      isoText(eb.ref('b.bucket_start')).as('bucket_start'),
      eb.fn.coalesce('a.value', empty).as('value'),
      eb.fn.coalesce('a.count', sql.lit(0)).as('count'),
    ])
    .orderBy('b.bucket_start');
}

/** The values a series statement binds: the range of SeriesRange without its shape. */
export type SeriesParams = Omit<SeriesRange, 'wholeHours'>;

/** The series statement of one aggregate and kind of bucket, compiled on first use and kept: no building per request. */
export const seriesStatement = preparedShapes((_db, p: SeriesParams, shape: { agg: Aggregate; wholeHours: boolean }) =>
  seriesQuery(shape.agg, { pipeline: p.pipeline, type: p.type, from: p.from, to: p.to, bucket: p.bucket, wholeHours: shape.wholeHours }),
);

/**
 * The count, mean and sample standard deviation of one metric over the training window, which ends where
 * the detection window begins. One index-only range scan.
 */
export const TRAINING_STATS = prepared((db, p: { pipeline: string; type: string; detection: string; training: string }) =>
  db
    .selectFrom('data_quality_metrics')
    .select((eb) => [
      eb.cast<number>(eb.fn.countAll(), 'integer').as('count'),
      eb.fn.avg<number | null>('metric_value').as('mean'),
      eb.fn<number | null>('stddev_samp', ['metric_value']).as('stddev'),
    ])
    .where('pipeline_name', '=', p.pipeline)
    .where('metric_type', '=', p.type)
    .where('recorded_at', '<', sql<Date>`now() - ${interval(p.detection)}`)
    .where('recorded_at', '>=', sql<Date>`now() - ${interval(p.detection)} - ${interval(p.training)}`),
);

/** The points of the detection window, oldest first, one more than the cap (10,000). */
export const DETECTION_POINTS = prepared((db, p: { pipeline: string; type: string; detection: string }) =>
  db
    .selectFrom('data_quality_metrics')
    .select((eb) => ['metric_id', isoText(eb.ref('recorded_at')).as('recorded_at'), eb.ref('metric_value').as('value')])
    .where('pipeline_name', '=', p.pipeline)
    .where('metric_type', '=', p.type)
    .where('recorded_at', '>=', sql<Date>`now() - ${interval(p.detection)}`)
    .orderBy('data_quality_metrics.recorded_at')
    .orderBy('data_quality_metrics.metric_id')
    .limit(sql.lit(10_001)),
);

import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StoredPipelineName, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { WINDOW_PATTERN } from '../../common/window.js';
import { MetricResponse } from './metric.response.js';
import { ColumnName, DatasetName, DatasetNamespace } from './dataset-fields.js';
import { MetricType } from './record-metric.dto.js';

/**
 * What a trend query is about: a pipeline's own series (metrics naming no dataset), or a dataset's
 * (`dataset_namespace` and `dataset_name`; with `column`, one column's), from every pipeline or from
 * `pipeline_name` only. pipeline_name is required without a dataset (the service answers 400 naming the field).
 */
const Subject = {
  pipeline_name: Type.Optional({ ...StoredPipelineName, description: 'The pipeline; required without a dataset, with one it keeps only that pipeline\'s reports.' }),
  dataset_namespace: Type.Optional(DatasetNamespace),
  dataset_name: Type.Optional(DatasetName),
  column: Type.Optional({ ...ColumnName, description: 'One column of the dataset; without it, the dataset-level series (metrics naming no column).' }),
};

/** The subject as a response repeats it: normalised as stored; null where the query named none. */
const SubjectEcho = {
  pipeline_name: Nullable(StoredPipelineName),
  dataset_namespace: Nullable(DatasetNamespace),
  dataset_name: Nullable(DatasetName),
  column: Nullable(ColumnName),
};

export const LatestQuery = Type.Object(
  { ...Subject, metric_type: Type.Optional(Type.Array(MetricType, { minItems: 1, maxItems: 20, uniqueItems: true })) },
  { additionalProperties: false },
);
export type LatestQuery = Static<typeof LatestQuery>;

export const LatestResponse = Type.Object(
  { ...SubjectEcho, data: Type.Array(MetricResponse, { description: 'The newest metric of each type, by type.' }) },
  { additionalProperties: false },
);
export type LatestResponse = Static<typeof LatestResponse>;

export const BUCKETS = ['5m', '1h', '1d'] as const;
export const AGGREGATES = ['avg', 'min', 'max', 'sum', 'count', 'last'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Aggregate = (typeof AGGREGATES)[number];

export const SeriesQuery = Type.Object(
  {
    ...Subject,
    metric_type: MetricType,
    from: Type.Optional({ ...Timestamp, description: 'Start (inclusive), rounded down to a bucket boundary; default `to` minus 30 days.' }),
    to: Type.Optional({ ...Timestamp, description: 'End (exclusive); default now.' }),
    bucket: Type.Optional(StringEnum(BUCKETS, { default: '1h' })),
    agg: Type.Optional(StringEnum(AGGREGATES, { default: 'avg' })),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

const Point = Type.Object(
  {
    bucket_start: Timestamp,
    value: Nullable(Type.Number(), { description: 'null for an empty bucket (0 for agg=count).' }),
    count: Type.Integer({ description: 'Metrics in the bucket.' }),
  },
  { additionalProperties: false },
);

export const SeriesResponse = Type.Object(
  {
    ...SubjectEcho,
    metric_type: MetricType,
    bucket: StringEnum(BUCKETS),
    agg: StringEnum(AGGREGATES),
    from: Timestamp,
    to: Timestamp,
    points: Type.Array(Point, { description: 'One per bucket from `from` to `to`, empty buckets included.' }),
  },
  { additionalProperties: false },
);
export type SeriesResponse = Static<typeof SeriesResponse>;

export const AnomaliesQuery = Type.Object(
  {
    ...Subject,
    metric_type: MetricType,
    training: Type.Optional(Type.String({ pattern: WINDOW_PATTERN, default: '14d', description: 'The history, just before the detection window, that points are compared with.' })),
    detection: Type.Optional(Type.String({ pattern: WINDOW_PATTERN, default: '2d', description: 'The recent points to score: the last `detection`.' })),
    sensitivity: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 3, description: '|z| above this is an anomaly.' })),
  },
  { additionalProperties: false },
);
export type AnomaliesQuery = Static<typeof AnomaliesQuery>;

const ScoredPoint = Type.Object(
  {
    metric_id: Uuid,
    recorded_at: Timestamp,
    value: Type.Number(),
    z_score: Nullable(Type.Number()),
    anomaly: Type.Boolean(),
    reason: Nullable(Type.String(), { description: 'Why z_score is null, e.g. too little history.' }),
  },
  { additionalProperties: false },
);

export const AnomaliesResponse = Type.Object(
  {
    ...SubjectEcho,
    metric_type: MetricType,
    training: Type.String(),
    detection: Type.String(),
    sensitivity: Type.Number(),
    baseline: Type.Object(
      { count: Type.Integer(), mean: Nullable(Type.Number()), stddev: Nullable(Type.Number()) },
      { additionalProperties: false, description: 'The training window: its number of points, mean and sample standard deviation.' },
    ),
    points: Type.Array(ScoredPoint),
  },
  { additionalProperties: false },
);
export type AnomaliesResponse = Static<typeof AnomaliesResponse>;

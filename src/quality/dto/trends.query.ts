import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StoredPipelineName, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { WINDOW_PATTERN } from '../../common/window.js';
import { MetricResponse } from './metric.response.js';
import { MetricType } from './record-metric.dto.js';

export const LatestQuery = Type.Object(
  { pipeline_name: StoredPipelineName, metric_type: Type.Optional(Type.Array(MetricType, { minItems: 1, maxItems: 20, uniqueItems: true })) },
  { additionalProperties: false },
);
export type LatestQuery = Static<typeof LatestQuery>;

export const LatestResponse = Type.Object(
  { pipeline_name: StoredPipelineName, data: Type.Array(MetricResponse, { description: 'The newest metric of each type, by type.' }) },
  { additionalProperties: false },
);
export type LatestResponse = Static<typeof LatestResponse>;

export const BUCKETS = ['5m', '1h', '1d'] as const;
export const AGGREGATES = ['avg', 'min', 'max', 'sum', 'count', 'last'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Aggregate = (typeof AGGREGATES)[number];

export const SeriesQuery = Type.Object(
  {
    pipeline_name: StoredPipelineName,
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
    pipeline_name: StoredPipelineName,
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
    pipeline_name: StoredPipelineName,
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
    pipeline_name: StoredPipelineName,
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
